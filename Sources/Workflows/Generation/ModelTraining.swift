public import ComfyUIModel
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// What trainModel needs from the generation back end beyond running a template: send a folder
/// of files with the run, fetch the file the run saved, and ask the server that trained a LoRA
/// what its `LoraLoader` lists. `ComfyUIRunner` is the implementation.
public protocol ModelTraining: ImageGenerating {
    /// Uploads each folder (by the template's `folder` input it fills) into an input subfolder
    /// of one server, fills, checks and submits `template` there; returns once it is queued.
    func submit(_ template: WorkflowTemplate, values: [String: JSONValue], folders: [String: UploadFolder], deadline: Duration,
                onEvent: @escaping @Sendable (RunEvent) -> Void) async throws -> any GenerationInProgress

    /// The bytes of file `name` in `subfolder` of the output folder of `server`; `nil` when it
    /// has no such file. More than `maxBytes` is refused.
    func outputFile(named name: String, subfolder: String, on server: URL, maxBytes: Int) async throws -> Data?

    /// What `server` lists now for input `input` of node class `classType`, asked afresh (a
    /// model saved a moment ago shows); `nil` when that input is not a list or the class is missing.
    func currentChoices(classType: String, input: String, on server: URL) async throws -> [String]?
}

/// Files uploaded together into one input subfolder of a server.
public struct UploadFolder: Sendable, Equatable {
    /// The subfolder's name: one path component.
    public var name: String
    /// The files by name (`01.png` with its caption `01.txt`).
    public var files: [String: Data]

    public init(name: String, files: [String: Data]) {
        self.name = name
        self.files = files
    }
}
