/// An image a node produced, as history and `executed` name it; fetch it with `/view` using
/// these three fields verbatim.
public struct OutputImage: Sendable, Equatable, Codable, Hashable {
    public var filename: String
    public var subfolder: String
    /// `output`, or `temp` for PreviewImage.
    public var type: String

    public init(filename: String, subfolder: String, type: String) {
        self.filename = filename
        self.subfolder = subfolder
        self.type = type
    }

    /// The images of an `{"images": [...]}` output, skipping malformed entries.
    static func list(_ value: JSONValue?) -> [OutputImage] {
        (value?.array ?? []).compactMap { entry in
            guard let fields = entry.object, let filename = fields["filename"]?.string else { return nil }
            return OutputImage(filename: filename, subfolder: fields["subfolder"]?.string ?? "", type: fields["type"]?.string ?? "output")
        }
    }
}
