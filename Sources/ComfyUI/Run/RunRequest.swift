public import ComfyUIModel
public import Foundation

/// What to run on a pool: a template filled with values (or a graph as it is), the local images
/// to upload first, and how long it may take.
public struct RunRequest: Sendable {
    /// The graph to send.
    public enum Source: Sendable {
        /// A template and the values of its inputs (by name, already typed).
        case template(WorkflowTemplate, values: [String: JSONValue])
        /// An API-format graph, sent as it is.
        case graph([String: JSONValue])
    }

    /// An image to upload for a template input.
    public struct Upload: Sendable, Equatable {
        public var data: Data
        /// The name it is uploaded under (the server may rename it).
        public var filename: String

        public init(data: Data, filename: String) {
            self.data = data
            self.filename = filename
        }
    }

    /// Files to upload together into one input subfolder, for a `folder` input.
    public struct Folder: Sendable, Equatable {
        /// The subfolder of the server's input folder (one path component); the input gets this name.
        public var name: String
        /// The files, by the names they must have there (a caption `01.txt` beside its image `01.png`).
        public var files: [Upload]

        public init(name: String, files: [Upload]) {
            self.name = name
            self.files = files
        }
    }

    public var source: Source
    /// Images to upload before filling, by template input name: each input then gets the
    /// server's name for its upload.
    public var uploads: [String: Upload]
    /// Folders to upload before filling, by template input name (inputs of type `folder`): the
    /// files keep their names (a file already there is overwritten) and the input gets the
    /// subfolder's name.
    public var folders: [String: Folder]
    /// The WebSocket and `POST /prompt` client id (ours: it starts with ``ClientID/prefix``).
    public var clientID: String
    /// How long the run may take from submission before it is interrupted.
    public var deadline: Duration
    /// Ask for previews that name their node and prompt.
    public var previewMetadata: Bool

    public init(_ source: Source, uploads: [String: Upload] = [:], folders: [String: Folder] = [:], clientID: String = ClientID.new(),
                deadline: Duration = .seconds(600), previewMetadata: Bool = true) {
        self.source = source
        self.uploads = uploads
        self.folders = folders
        self.clientID = clientID
        self.deadline = deadline
        self.previewMetadata = previewMetadata
    }
}
