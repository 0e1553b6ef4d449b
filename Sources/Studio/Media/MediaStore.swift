/// Storage for media records (the bytes live in a content store beside it). Narrow and async,
/// so that any database can implement it without blocking a thread.
public protocol MediaStore: Sendable {
    /// Adds `record`. With a `quota`, refused with `storage_quota_exceeded` when the owner's
    /// records would then take more than `quota` bytes; the check and the insert are one
    /// transaction, so two concurrent inserts cannot both squeeze under the quota.
    func insert(_ record: MediaRecord, quota: Int?) async throws
    /// The record with `id`, whoever owns it.
    func record(id: String) async throws -> MediaRecord?
    /// The owner's records, newest first.
    func records(of owner: UserID, limit: Int, offset: Int) async throws -> [MediaRecord]
    /// Removes the owner's record `id` and says whether its bytes are still used by another
    /// record, in one transaction. `nil` when the owner has no such record.
    func delete(id: String, owner: UserID) async throws -> MediaDeletion?
    /// Whether any record names `digest`.
    func isReferenced(digest: String) async throws -> Bool
    /// The owner's count of records and bytes.
    func usage(of owner: UserID) async throws -> MediaUsage
}
