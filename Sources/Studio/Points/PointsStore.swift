/// Storage for points: accounts, holds and the ledger, changed together in one transaction.
///
/// Narrow on purpose: the rules live in ``PointsService``; a store only reads and writes rows.
/// Implementations: `SQLitePointsStore` (the embedded default); a PostgreSQL one later.
public protocol PointsStore: Sendable {
    /// Runs `work` in one write transaction, serialised with every other write: either all of
    /// its changes are stored or none.
    func transaction<Result: Sendable>(_ work: @escaping @Sendable (any PointsTransaction) throws -> Result) async throws -> Result

    /// The user's ledger, newest first.
    func ledger(of user: UserID, limit: Int) async throws -> [LedgerEntry]
}

/// What a points transaction can read and write. Valid only inside ``PointsStore/transaction(_:)``.
public protocol PointsTransaction {
    /// The user's account, or `nil` when they have none yet.
    func account(of user: UserID) throws -> PointsAccount?
    /// Inserts or replaces the account.
    func save(_ account: PointsAccount) throws
    /// The hold of a job, whatever its status.
    func hold(job: String) throws -> Hold?
    /// Inserts or replaces a hold.
    func save(_ hold: Hold) throws
    /// The ledger entry with this idempotency key, if one was written.
    func entry(key: String) throws -> LedgerEntry?
    /// Appends an entry. Keys are unique.
    func append(_ entry: LedgerEntry) throws
}
