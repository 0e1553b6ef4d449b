/// What deleting a record did: the record, and whether any other record still uses its bytes
/// (then they must stay in the content store).
public struct MediaDeletion: Sendable, Equatable {
    public var record: MediaRecord
    /// `true` while another record names the same digest.
    public var bytesStillUsed: Bool

    public init(record: MediaRecord, bytesStillUsed: Bool) {
        self.record = record
        self.bytesStillUsed = bytesStillUsed
    }
}
