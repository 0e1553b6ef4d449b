/// A file ready to be downloaded: `file_path` names it under the file URL.
public struct File: Codable, Sendable, Equatable {
    public var fileID: String
    public var fileUniqueID: String
    public var fileSize: Int?
    public var filePath: String?

    public init(fileID: String, fileUniqueID: String, fileSize: Int? = nil, filePath: String? = nil) {
        self.fileID = fileID
        self.fileUniqueID = fileUniqueID
        self.fileSize = fileSize
        self.filePath = filePath
    }

    enum CodingKeys: String, CodingKey {
        case fileID = "file_id", fileUniqueID = "file_unique_id", fileSize = "file_size", filePath = "file_path"
    }
}
