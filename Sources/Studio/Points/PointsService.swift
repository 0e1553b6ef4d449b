#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The points ledger (docs/ARCHITECTURE.md, Points): balances, holds for running jobs, settlement at the real
/// cost, releases, credits, refunds and standing.
///
/// Every change is one store transaction that regenerates the account to now, applies the rule,
/// and appends a ledger entry with an idempotency key: retrying a settle, a release, a grant or a
/// refund changes nothing the second time. Two concurrent holds can never spend the same points.
public struct PointsService: Sendable {
    public let policy: PointsPolicy
    private let store: any PointsStore
    private let clock: any StudioClock

    public init(store: any PointsStore, clock: any StudioClock = SystemClock(), policy: PointsPolicy = PointsPolicy()) {
        self.store = store
        self.clock = clock
        self.policy = policy
    }

    /// All figures now, `available` included, and when the next regeneration lands. A user with
    /// no account yet has a full allowance.
    public func balance(of user: UserID) async throws -> PointsBalance {
        let now = clock.now()
        let account = try await store.account(of: user) ?? PointsAccount(user: user, now: now)
        return PointsBalance(account.regenerated(at: now, policy: policy), policy: policy)
    }

    /// Reserves `estimate` points for `job`. Refused with `not_enough_points` (carrying required
    /// and available) when fewer are available. Holding the same job again returns its hold.
    @discardableResult
    public func hold(user: UserID, job: String, estimate: Int) async throws -> Hold {
        guard (1...PointsPolicy.maximumPoints).contains(estimate), !job.isEmpty else {
            throw StudioError(.invalidParams, "a hold needs a job id and an estimate within 1 … \(PointsPolicy.maximumPoints), received '\(job)' and \(estimate)")
        }
        let (now, policy) = (clock.now(), policy)
        return try await store.change(PointsScope(user: user, job: job)) { snapshot in
            if let existing = snapshot.hold {
                guard existing.user == user else { throw Self.otherUser(job) }
                return (.none, existing)
            }
            var account = (snapshot.account ?? PointsAccount(user: user, now: now)).regenerated(at: now, policy: policy)
            let available = account.available(policy: policy)
            guard available >= estimate else {
                throw StudioError(.notEnoughPoints, "this job needs \(estimate) points and \(available) are available",
                                  required: estimate, available: available)
            }
            account.held += estimate
            let hold = Hold(job: job, user: user, amount: estimate, now: now)
            let entry = LedgerEntry(user: user, kind: .hold, key: "hold:\(job)", job: job, amount: estimate,
                                    availableAfter: account.available(policy: policy), at: now)
            return (PointsWrite(account: account, hold: hold, entry: entry), hold)
        }
    }

    /// Charges `job` its real cost and frees its hold: the allowance is spent first, then
    /// credits; a cost beyond both is recorded as used allowance (it regenerates), never lost.
    /// Settling again changes nothing; settling a released job is refused (`hold_released`).
    @discardableResult
    public func settle(job: String, cost: Int) async throws -> Hold {
        guard (0...PointsPolicy.maximumPoints).contains(cost) else {
            throw StudioError(.invalidParams, "a cost must be within 0 … \(PointsPolicy.maximumPoints), received \(cost)")
        }
        let (now, policy) = (clock.now(), policy)
        return try await store.change(PointsScope(job: job)) { snapshot in
            var hold = try Self.existingHold(job, in: snapshot)
            switch hold.status {
            case .settled, .refunded: return (.none, hold)
            case .released: throw StudioError(.holdReleased, "job \(job) was released; it cannot be settled")
            case .held: break
            }
            var account = try Self.account(of: hold, in: snapshot).regenerated(at: now, policy: policy)
            account.held = max(0, account.held - hold.amount)
            if account.used == 0 {
                // Regeneration starts from the first point used.
                account.regenerationAnchor = now
                account.regenerationRemainder = 0
            }
            let fromAllowance = min(cost, account.freeAllowance(policy: policy))
            let fromCredits = min(cost - fromAllowance, account.credits)
            let overdraft = cost - fromAllowance - fromCredits
            account.used = PointsPolicy.bounded(account.used, plus: fromAllowance + overdraft)
            account.credits -= fromCredits
            account.exp = PointsPolicy.bounded(account.exp, plus: cost)
            hold.status = .settled
            hold.cost = cost
            hold.fromAllowance = fromAllowance + overdraft
            hold.fromCredits = fromCredits
            hold.updatedAt = now
            let entry = LedgerEntry(user: hold.user, kind: .settle, key: "settle:\(job)", job: job, amount: cost,
                                    fromAllowance: hold.fromAllowance, fromCredits: fromCredits,
                                    availableAfter: account.available(policy: policy), at: now)
            return (PointsWrite(account: account, hold: hold, entry: entry), hold)
        }
    }

    /// Settles `job` at `ceil(runSeconds × rate)`, the rate being the template's or the policy's.
    @discardableResult
    public func settle(job: String, runSeconds: Double, pointsPerSecond: Double? = nil) async throws -> Hold {
        try await settle(job: job, cost: policy.cost(runSeconds: runSeconds, pointsPerSecond: pointsPerSecond))
    }

    /// Frees `job`'s hold without charging anything (failure, cancellation, timeout). Releasing
    /// again changes nothing; releasing a settled job is refused (`job_already_settled`).
    @discardableResult
    public func release(job: String) async throws -> Hold {
        let (now, policy) = (clock.now(), policy)
        return try await store.change(PointsScope(job: job)) { snapshot in
            var hold = try Self.existingHold(job, in: snapshot)
            switch hold.status {
            case .released: return (.none, hold)
            case .settled, .refunded: throw StudioError(.jobAlreadySettled, "job \(job) was already settled; its points cannot be released")
            case .held: break
            }
            var account = try Self.account(of: hold, in: snapshot).regenerated(at: now, policy: policy)
            account.held = max(0, account.held - hold.amount)
            hold.status = .released
            hold.updatedAt = now
            let entry = LedgerEntry(user: hold.user, kind: .release, key: "release:\(job)", job: job,
                                    amount: hold.amount, availableAfter: account.available(policy: policy), at: now)
            return (PointsWrite(account: account, hold: hold, entry: entry), hold)
        }
    }

    /// Gives back what a settled job cost, to where it came from. Once per job.
    @discardableResult
    public func refund(job: String, note: String? = nil) async throws -> Hold {
        let (now, policy) = (clock.now(), policy)
        return try await store.change(PointsScope(job: job)) { snapshot in
            var hold = try Self.existingHold(job, in: snapshot)
            switch hold.status {
            case .refunded: return (.none, hold)
            case .held, .released: throw StudioError(.invalidParams, "job \(job) was never charged; there is nothing to refund")
            case .settled: break
            }
            var account = try Self.account(of: hold, in: snapshot).regenerated(at: now, policy: policy)
            account.used = max(0, account.used - hold.fromAllowance)
            account.credits = PointsPolicy.bounded(account.credits, plus: hold.fromCredits)
            account.exp = max(0, account.exp - (hold.cost ?? 0))
            hold.status = .refunded
            hold.updatedAt = now
            let entry = LedgerEntry(user: hold.user, kind: .refund, key: "refund:\(job)", job: job,
                                    amount: hold.cost ?? 0, fromAllowance: hold.fromAllowance,
                                    fromCredits: hold.fromCredits, availableAfter: account.available(policy: policy),
                                    note: note, at: now)
            return (PointsWrite(account: account, hold: hold, entry: entry), hold)
        }
    }

    /// Adds credits, granted (`purchased == false`) or bought. `key` makes it happen once for
    /// this user: a payment id, a promotion id. The same key for another user is another grant.
    /// A balance would pass ``PointsPolicy/maximumPoints``: `invalid_params`, nothing added.
    @discardableResult
    public func addCredits(_ credits: Int, to user: UserID, key: String, purchased: Bool = false, note: String? = nil) async throws -> PointsBalance {
        guard (1...PointsPolicy.maximumPoints).contains(credits), !key.isEmpty else {
            throw StudioError(.invalidParams, "credits must be within 1 … \(PointsPolicy.maximumPoints) and need a key, received \(credits) and '\(key)'")
        }
        let (now, policy) = (clock.now(), policy)
        let kind: LedgerEntry.Kind = purchased ? .purchase : .grant
        let ledgerKey = "\(kind.rawValue):\(user):\(key)"
        return try await store.change(PointsScope(user: user, ledgerKey: ledgerKey)) { snapshot in
            var account = (snapshot.account ?? PointsAccount(user: user, now: now)).regenerated(at: now, policy: policy)
            guard snapshot.keyedEntry == nil else { return (.none, PointsBalance(account, policy: policy)) }
            guard account.credits <= PointsPolicy.maximumPoints - credits else {
                throw StudioError(.invalidParams, "\(user) would hold more than \(PointsPolicy.maximumPoints) credits; \(credits) were not added")
            }
            account.credits += credits
            let entry = LedgerEntry(user: user, kind: kind, key: ledgerKey, amount: credits, fromCredits: credits,
                                    availableAfter: account.available(policy: policy), note: note, at: now)
            return (PointsWrite(account: account, entry: entry), PointsBalance(account, policy: policy))
        }
    }

    /// Records a new standing (0 … ``PointsPolicy/maximumStanding``); the capacity follows from
    /// the next moment on (what regenerated so far did so at the old capacity).
    @discardableResult
    public func setStanding(_ standing: Int, of user: UserID) async throws -> PointsBalance {
        guard (0...PointsPolicy.maximumStanding).contains(standing) else {
            throw StudioError(.invalidParams, "standing must be within 0 … \(PointsPolicy.maximumStanding), received \(standing)")
        }
        let (now, policy) = (clock.now(), policy)
        return try await store.change(PointsScope(user: user)) { snapshot in
            var account = (snapshot.account ?? PointsAccount(user: user, now: now)).regenerated(at: now, policy: policy)
            guard account.standing != standing else { return (.none, PointsBalance(account, policy: policy)) }
            let previous = account.standing
            account.standing = standing
            let entry = LedgerEntry(user: user, kind: .standing, key: "standing:\(user):\(now.timeIntervalSince1970):\(standing)",
                                    amount: standing, availableAfter: account.available(policy: policy),
                                    note: "from \(previous)", at: now)
            return (PointsWrite(account: account, entry: entry), PointsBalance(account, policy: policy))
        }
    }

    /// The user's ledger, newest first.
    public func ledger(of user: UserID, limit: Int = 100) async throws -> [LedgerEntry] {
        try await store.ledger(of: user, limit: max(1, limit))
    }

    private static func existingHold(_ job: String, in snapshot: PointsSnapshot) throws -> Hold {
        guard let hold = snapshot.hold else {
            throw StudioError(.holdNotFound, "no points are held for job \(job)")
        }
        return hold
    }

    private static func account(of hold: Hold, in snapshot: PointsSnapshot) throws -> PointsAccount {
        guard let account = snapshot.account, account.user == hold.user else {
            throw StudioError(.unknownUser, "\(hold.user) has no points account")
        }
        return account
    }

    private static func otherUser(_ job: String) -> StudioError {
        StudioError(.jobBelongsToAnotherUser, "job \(job) holds another user's points")
    }
}
