/// What one user stores: how many records and how many bytes they account for (each record
/// counts its full size, even when its bytes are shared with another record).
public struct MediaUsage: Sendable, Equatable, Codable {
    public var items: Int
    public var bytes: Int

    public init(items: Int, bytes: Int) {
        self.items = items
        self.bytes = bytes
    }
}
