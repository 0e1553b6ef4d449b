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
