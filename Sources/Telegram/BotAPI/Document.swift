/// A file sent as a document (an image sent uncompressed is one).
public struct Document: Codable, Sendable, Equatable {
    public var fileID: String
    public var fileUniqueID: String
    public var fileName: String?
    public var mimeType: String?
    public var fileSize: Int?

    public init(fileID: String, fileUniqueID: String, fileName: String? = nil, mimeType: String? = nil, fileSize: Int? = nil) {
        self.fileID = fileID
        self.fileUniqueID = fileUniqueID
        self.fileName = fileName
        self.mimeType = mimeType
        self.fileSize = fileSize
    }

    enum CodingKeys: String, CodingKey {
        case fileID = "file_id", fileUniqueID = "file_unique_id", fileName = "file_name", mimeType = "mime_type", fileSize = "file_size"
    }
}
