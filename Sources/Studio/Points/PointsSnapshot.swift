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
