import GRDB
public import Studio
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// ``PointsStore`` on SQLite: every change is one GRDB write transaction, serialised with all
/// others, so concurrent holds see each other's effects. The rule runs inside the transaction on
/// GRDB's writer thread; it does no I/O, so it holds the lock for microseconds.
public struct SQLitePointsStore: PointsStore {
    let writer: any DatabaseWriter

    public func change<Result: Sendable>(_ scope: PointsScope,
                                         _ rule: @escaping @Sendable (PointsSnapshot) throws -> (PointsWrite, Result)) async throws -> Result {
        try await writer.write { db in
            let rows = Transaction(db: db)
            let hold = try scope.job.flatMap(rows.hold(job:))
            let account = try (scope.user ?? hold?.user).flatMap(rows.account(of:))
            let keyed = try scope.ledgerKey.flatMap(rows.entry(key:))
            let (write, result) = try rule(PointsSnapshot(account: account, hold: hold, keyedEntry: keyed))
            if let account = write.account { try rows.save(account) }
            if let hold = write.hold { try rows.save(hold) }
            if let entry = write.entry { try rows.append(entry) }
            return result
        }
    }

    public func account(of user: UserID) async throws -> PointsAccount? {
        try await writer.read { db in try Transaction(db: db).account(of: user) }
    }

    public func ledger(of user: UserID, limit: Int) async throws -> [LedgerEntry] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM ledger WHERE user = ? ORDER BY id DESC LIMIT ?",
                             arguments: [user.description, limit]).map(Self.entry)
        }
    }

    /// The rows of one write transaction.
    private struct Transaction {
        let db: Database

        func account(of user: UserID) throws -> PointsAccount? {
            guard let row = try Row.fetchOne(db, sql: """
                SELECT u.standing, a.* FROM points_accounts a JOIN users u ON u.id = a.user WHERE a.user = ?
                """, arguments: [user.description]) else { return nil }
            var account = PointsAccount(user: user, standing: row["standing"], now: Date(timeIntervalSince1970: row["regeneration_anchor"]))
            account.used = row["used"]
            account.regenerationRemainder = row["regeneration_remainder"]
            account.credits = row["credits"]
            account.held = row["held"]
            account.exp = row["exp"]
            return account
        }

        func save(_ account: PointsAccount) throws {
            let user = account.user.description
            try StudioDatabase.ensureUser(user, now: account.regenerationAnchor.timeIntervalSince1970, in: db)
            try db.execute(sql: "UPDATE users SET standing = ? WHERE id = ?", arguments: [account.standing, user])
            try db.execute(sql: """
                INSERT INTO points_accounts (user, used, regeneration_anchor, regeneration_remainder, credits, held, exp)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(user) DO UPDATE SET used = excluded.used, regeneration_anchor = excluded.regeneration_anchor,
                  regeneration_remainder = excluded.regeneration_remainder, credits = excluded.credits,
                  held = excluded.held, exp = excluded.exp
                """, arguments: [user, account.used, account.regenerationAnchor.timeIntervalSince1970,
                                 account.regenerationRemainder, account.credits, account.held, account.exp])
        }

        func hold(job: String) throws -> Hold? {
            try Row.fetchOne(db, sql: "SELECT * FROM holds WHERE job = ?", arguments: [job]).map { row in
                guard let user = UserID(row["user"] as String), let status = Hold.Status(rawValue: row["status"]) else {
                    throw StudioError(.invalidParams, "the hold of job \(job) is malformed in the database")
                }
                var hold = Hold(job: job, user: user, amount: row["amount"], now: Date(timeIntervalSince1970: row["created_at"]))
                hold.status = status
                hold.cost = row["cost"]
                hold.fromAllowance = row["from_allowance"]
                hold.fromCredits = row["from_credits"]
                hold.updatedAt = Date(timeIntervalSince1970: row["updated_at"])
                return hold
            }
        }

        func save(_ hold: Hold) throws {
            try db.execute(sql: """
                INSERT INTO holds (job, user, amount, status, cost, from_allowance, from_credits, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(job) DO UPDATE SET status = excluded.status, cost = excluded.cost,
                  from_allowance = excluded.from_allowance, from_credits = excluded.from_credits, updated_at = excluded.updated_at
                """, arguments: [hold.job, hold.user.description, hold.amount, hold.status.rawValue, hold.cost,
                                 hold.fromAllowance, hold.fromCredits, hold.createdAt.timeIntervalSince1970,
                                 hold.updatedAt.timeIntervalSince1970])
        }

        func entry(key: String) throws -> LedgerEntry? {
            try Row.fetchOne(db, sql: "SELECT * FROM ledger WHERE key = ?", arguments: [key]).map(SQLitePointsStore.entry)
        }

        func append(_ entry: LedgerEntry) throws {
            try db.execute(sql: """
                INSERT INTO ledger (user, kind, key, job, amount, from_allowance, from_credits, available_after, note, at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [entry.user.description, entry.kind.rawValue, entry.key, entry.job, entry.amount,
                                 entry.fromAllowance, entry.fromCredits, entry.availableAfter, entry.note,
                                 entry.at.timeIntervalSince1970])
        }
    }

    static func entry(_ row: Row) throws -> LedgerEntry {
        guard let user = UserID(row["user"] as String), let kind = LedgerEntry.Kind(rawValue: row["kind"]) else {
            throw StudioError(.invalidParams, "a ledger entry is malformed in the database")
        }
        return LedgerEntry(user: user, kind: kind, key: row["key"], job: row["job"], amount: row["amount"],
                           fromAllowance: row["from_allowance"], fromCredits: row["from_credits"],
                           availableAfter: row["available_after"], note: row["note"],
                           at: Date(timeIntervalSince1970: row["at"]))
    }
}
