#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Points reserved for one job until it settles or is released.
public struct Hold: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable {
        case held, settled, released, refunded
    }

    public var job: String
    public var user: UserID
    /// The estimate reserved.
    public var amount: Int
    public var status: Status
    /// The real cost, once settled.
    public var cost: Int?
    /// How much of the cost came from the regenerating allowance, and from credits.
    public var fromAllowance: Int
    public var fromCredits: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(job: String, user: UserID, amount: Int, now: Date) {
        self.job = job
        self.user = user
        self.amount = amount
        status = .held
        cost = nil
        fromAllowance = 0
        fromCredits = 0
        createdAt = now
        updatedAt = now
    }
}
