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
