import PostgresNIO
public import Studio
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// ``PointsStore`` on PostgreSQL: every change is one transaction that first takes the locks of
/// what it reads (the job's hold, the ledger key, the account, in that order), so concurrent
/// holds on any number of instances see each other's effects and never overspend.
public struct PostgresPointsStore: PointsStore {
    let database: PostgresDatabase

    public func change<Result: Sendable>(_ scope: PointsScope,
                                         _ rule: @escaping @Sendable (PointsSnapshot) throws -> (PointsWrite, Result)) async throws -> Result {
        try await database.transaction { transaction in
            // The locks in their one order; those known up front in one round trip.
            var names = [scope.job.map { "hold:\($0)" }, scope.ledgerKey.map { "ledger:\($0)" }].compactMap { $0 }
            if let user = scope.user { names.append("points:\(user)") }
            try await transaction.lock(names)
            var hold: Hold?, account: PointsAccount?, keyed: LedgerEntry?
            if let job = scope.job { hold = try await Self.hold(job: job, in: transaction) }
            if let user = scope.user ?? hold?.user {
                if scope.user == nil { try await transaction.lock(["points:\(user)"]) }
                account = try await Self.account(of: user, in: transaction)
            }
            if let key = scope.ledgerKey {
                keyed = try await transaction.rows("SELECT * FROM ledger WHERE key = \(key)").first.map(Self.entry)
            }
            let (write, result) = try rule(PointsSnapshot(account: account, hold: hold, keyedEntry: keyed))
            if let account = write.account { try await Self.save(account, in: transaction) }
            if let hold = write.hold { try await Self.save(hold, in: transaction) }
            if let entry = write.entry { try await Self.append(entry, in: transaction) }
            return result
        }
    }

    public func account(of user: UserID) async throws -> PointsAccount? {
        try await database.transaction { try await Self.account(of: user, in: $0) }
    }

    public func ledger(of user: UserID, limit: Int) async throws -> [LedgerEntry] {
        try await database.rows("SELECT * FROM ledger WHERE user_id = \(user.description) ORDER BY id DESC LIMIT \(max(0, limit))")
            .map(Self.entry)
    }

    private static func account(of user: UserID, in transaction: PostgresTransaction) async throws -> PointsAccount? {
        guard let row = try await transaction.rows("""
            SELECT u.standing, a.* FROM points_accounts a JOIN users u ON u.id = a.user_id WHERE a.user_id = \(user.description)
            """).first else { return nil }
        var account = PointsAccount(user: user, standing: try row["standing"], now: Date(timeIntervalSince1970: try row["regeneration_anchor"]))
        account.used = try row["used"]
        account.regenerationRemainder = try row["regeneration_remainder"]
        account.credits = try row["credits"]
        account.held = try row["held"]
        account.exp = try row["exp"]
        return account
    }

    private static func save(_ account: PointsAccount, in transaction: PostgresTransaction) async throws {
        let user = account.user.description
        try await transaction.execute("""
            INSERT INTO users (id, standing, created_at) VALUES (\(user), \(account.standing), \(account.regenerationAnchor.timeIntervalSince1970))
            ON CONFLICT (id) DO UPDATE SET standing = excluded.standing
            """)
        try await transaction.execute("""
            INSERT INTO points_accounts (user_id, used, regeneration_anchor, regeneration_remainder, credits, held, exp)
            VALUES (\(user), \(account.used), \(account.regenerationAnchor.timeIntervalSince1970), \(account.regenerationRemainder),
                    \(account.credits), \(account.held), \(account.exp))
            ON CONFLICT (user_id) DO UPDATE SET used = excluded.used, regeneration_anchor = excluded.regeneration_anchor,
              regeneration_remainder = excluded.regeneration_remainder, credits = excluded.credits,
              held = excluded.held, exp = excluded.exp
            """)
    }

    private static func hold(job: String, in transaction: PostgresTransaction) async throws -> Hold? {
        guard let row = try await transaction.rows("SELECT * FROM holds WHERE job = \(job)").first else { return nil }
        guard let user = UserID(try row["user_id"] as String), let status = Hold.Status(rawValue: try row["status"]) else {
            throw StudioError(.invalidParams, "the hold of job \(job) is malformed in the database")
        }
        var hold = Hold(job: job, user: user, amount: try row["amount"], now: Date(timeIntervalSince1970: try row["created_at"]))
        hold.status = status
        hold.cost = try row["cost"]
        hold.fromAllowance = try row["from_allowance"]
        hold.fromCredits = try row["from_credits"]
        hold.updatedAt = Date(timeIntervalSince1970: try row["updated_at"])
        return hold
    }

    private static func save(_ hold: Hold, in transaction: PostgresTransaction) async throws {
        try await transaction.execute("""
            INSERT INTO holds (job, user_id, amount, status, cost, from_allowance, from_credits, created_at, updated_at)
            VALUES (\(hold.job), \(hold.user.description), \(hold.amount), \(hold.status.rawValue), \(hold.cost),
                    \(hold.fromAllowance), \(hold.fromCredits), \(hold.createdAt.timeIntervalSince1970), \(hold.updatedAt.timeIntervalSince1970))
            ON CONFLICT (job) DO UPDATE SET status = excluded.status, cost = excluded.cost,
              from_allowance = excluded.from_allowance, from_credits = excluded.from_credits, updated_at = excluded.updated_at
            """)
    }

    private static func append(_ entry: LedgerEntry, in transaction: PostgresTransaction) async throws {
        try await transaction.execute("""
            INSERT INTO ledger (user_id, kind, key, job, amount, from_allowance, from_credits, available_after, note, at)
            VALUES (\(entry.user.description), \(entry.kind.rawValue), \(entry.key), \(entry.job), \(entry.amount),
                    \(entry.fromAllowance), \(entry.fromCredits), \(entry.availableAfter), \(entry.note), \(entry.at.timeIntervalSince1970))
            """)
    }

    private static func entry(_ row: PostgresRecord) throws -> LedgerEntry {
        guard let user = UserID(try row["user_id"] as String), let kind = LedgerEntry.Kind(rawValue: try row["kind"]) else {
            throw StudioError(.invalidParams, "a ledger entry is malformed in the database")
        }
        return LedgerEntry(user: user, kind: kind, key: try row["key"], job: try row["job"], amount: try row["amount"],
                           fromAllowance: try row["from_allowance"], fromCredits: try row["from_credits"],
                           availableAfter: try row["available_after"], note: try row["note"],
                           at: Date(timeIntervalSince1970: try row["at"]))
    }
}
