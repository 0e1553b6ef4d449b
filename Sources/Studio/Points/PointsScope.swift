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
