/// Storage for points: accounts, holds and the ledger.
///
/// Narrow on purpose, and shaped so that an async driver fits without blocking a thread: the
/// rules live in ``PointsService`` as pure functions over a ``PointsSnapshot``; a store reads the
/// rows a change names, locks them, runs the rule (which does no I/O), and writes what it returns,
/// all in one transaction. A store may run a rule more than once (a serialisation retry), so rules
/// have no side effects. Implementations: `SQLitePointsStore` (the embedded default); any other
/// must pass the store contract suite (`Tests/StudioTests/StoreContractTests.swift`).
public protocol PointsStore: Sendable {
    /// Reads what `scope` names, hands it to `rule`, and stores the ``PointsWrite`` it returns, in
    /// one transaction serialised with every other change of the same account or hold: all of the
    /// write is stored or none of it, and a rule that throws stores nothing.
    func change<Result: Sendable>(_ scope: PointsScope,
                                  _ rule: @escaping @Sendable (PointsSnapshot) throws -> (PointsWrite, Result)) async throws -> Result

    /// The user's account as stored (not regenerated), or `nil` when they have none yet.
    func account(of user: UserID) async throws -> PointsAccount?

    /// The user's ledger, newest first.
    func ledger(of user: UserID, limit: Int) async throws -> [LedgerEntry]
}

/// The rows one change reads: an account, a job's hold, a ledger key.
public struct PointsScope: Sendable, Equatable {
    /// The account to read; when `nil`, the account of the hold's user.
    public var user: UserID?
    /// The job whose hold to read.
    public var job: String?
    /// The idempotency key to look up in the ledger.
    public var ledgerKey: String?

    public init(user: UserID? = nil, job: String? = nil, ledgerKey: String? = nil) {
        self.user = user
        self.job = job
        self.ledgerKey = ledgerKey
    }
}

/// What a store read for a change, as stored.
public struct PointsSnapshot: Sendable, Equatable {
    public var account: PointsAccount?
    public var hold: Hold?
    /// The ledger entry with the scope's key, when one was written.
    public var keyedEntry: LedgerEntry?

    public init(account: PointsAccount? = nil, hold: Hold? = nil, keyedEntry: LedgerEntry? = nil) {
        self.account = account
        self.hold = hold
        self.keyedEntry = keyedEntry
    }
}

/// What a change stores: an account and a hold to insert or replace, an entry to append (keys
/// are unique in the ledger). `nil` leaves that row alone.
public struct PointsWrite: Sendable, Equatable {
    public var account: PointsAccount?
    public var hold: Hold?
    public var entry: LedgerEntry?

    /// Nothing to store.
    public static let none = PointsWrite()

    public init(account: PointsAccount? = nil, hold: Hold? = nil, entry: LedgerEntry? = nil) {
        self.account = account
        self.hold = hold
        self.entry = entry
    }
}
