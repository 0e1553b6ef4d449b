#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// One line of the append-only points ledger, written in the same transaction as the change.
public struct LedgerEntry: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case hold, settle, release, grant, purchase, refund, standing
    }

    public var user: UserID
    public var kind: Kind
    /// The idempotency key: `settle:<job>`, `grant:<caller's key>`, … unique in the ledger.
    public var key: String
    public var job: String?
    /// Points moved: the estimate held, the cost charged, the credits granted or refunded.
    public var amount: Int
    public var fromAllowance: Int
    public var fromCredits: Int
    /// Available points after the change.
    public var availableAfter: Int
    public var note: String?
    public var at: Date

    public init(user: UserID, kind: Kind, key: String, job: String? = nil, amount: Int, fromAllowance: Int = 0,
                fromCredits: Int = 0, availableAfter: Int, note: String? = nil, at: Date) {
        self.user = user
        self.kind = kind
        self.key = key
        self.job = job
        self.amount = amount
        self.fromAllowance = fromAllowance
        self.fromCredits = fromCredits
        self.availableAfter = availableAfter
        self.note = note
        self.at = at
    }
}
