#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A user's points as stored, with the exact regeneration arithmetic.
///
/// `used` is its value at `regenerationAnchor`. Every full tick since then gives back
/// `capacity / ticksPerRefill` points; the fractional part is carried in `regenerationRemainder`
/// (in 1/ticksPerRefill of a point), so nothing is lost to rounding: with capacity 370, one tick
/// gives 20 back and eighteen ticks give exactly 370.
public struct PointsAccount: Sendable, Equatable, Codable {
    public var user: UserID
    public var standing: Int
    public var used: Int
    public var regenerationAnchor: Date
    public var regenerationRemainder: Int
    public var credits: Int
    public var held: Int
    public var exp: Int

    /// A new account: nothing used, no credits.
    public init(user: UserID, standing: Int = 0, now: Date) {
        self.user = user
        self.standing = standing
        used = 0
        regenerationAnchor = now
        regenerationRemainder = 0
        credits = 0
        held = 0
        exp = 0
    }

    /// Applies every full tick between the anchor and `now`, moving the anchor forward by them.
    public func regenerated(at now: Date, policy: PointsPolicy) -> PointsAccount {
        let elapsed = Int(now.timeIntervalSince(regenerationAnchor).rounded(.down))
        let ticks = elapsed / policy.tickSeconds
        guard ticks > 0 else { return self }
        var account = self
        account.regenerationAnchor = regenerationAnchor.addingTimeInterval(TimeInterval(ticks * policy.tickSeconds))
        let total = ticks * policy.capacity(standing: standing) + regenerationRemainder
        let returned = total / policy.ticksPerRefill
        if returned >= used {
            account.used = 0
            account.regenerationRemainder = 0
        } else {
            account.used = used - returned
            account.regenerationRemainder = total % policy.ticksPerRefill
        }
        return account
    }

    /// Allowance not used or held.
    public func freeAllowance(policy: PointsPolicy) -> Int {
        max(0, policy.capacity(standing: standing) - used - held)
    }

    /// `max(0, capacity − used − held) + credits`.
    public func available(policy: PointsPolicy) -> Int { freeAllowance(policy: policy) + credits }
}
