#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Everything a user sees of their points at one moment.
public struct PointsBalance: Sendable, Equatable, Codable {
    public var user: UserID
    public var standing: Int
    public var capacity: Int
    public var used: Int
    public var held: Int
    public var credits: Int
    public var exp: Int
    public var level: Int
    /// `max(0, capacity − used − held) + credits`.
    public var available: Int
    /// When the next regeneration tick lands; `nil` when nothing is used.
    public var nextRegenerationAt: Date?

    /// The balance of `account`, already regenerated to `now`.
    init(_ account: PointsAccount, policy: PointsPolicy) {
        user = account.user
        standing = account.standing
        capacity = policy.capacity(standing: account.standing)
        used = account.used
        held = account.held
        credits = account.credits
        exp = account.exp
        level = policy.level(exp: account.exp)
        available = account.available(policy: policy)
        nextRegenerationAt = account.used > 0
            ? account.regenerationAnchor.addingTimeInterval(TimeInterval(policy.tickSeconds)) : nil
    }
}
