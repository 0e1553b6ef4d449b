import GRDB
import Studio
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The shape the job and dataset tables share: one row per record, its state as a column for the
/// queries, the whole record as JSON, and updates that happen only from the states they expect.
enum StateGuardedRows {
    /// Inserts a row (`id`, its owner in `ownerColumn`, `state`, `definition`, times), first making
    /// sure the owner's `users` row exists. With `cap`, counts the owner's rows in `countedStates`
    /// (all when `nil`) in the same transaction and throws `refusal(count)` when there are `cap` already.
    /// Throws `duplicate_id`, writing nothing, when a row with `id` exists.
    static func insert(_ db: Database, table: String, ownerColumn: String, owner: String, id: String, state: String,
                       definition: String, createdAt: Double, updatedAt: Double, cap: Int?, countedStates: [String]? = nil,
                       refusal: (Int) -> any Error) throws {
        try StudioDatabase.ensureUser(owner, now: createdAt, in: db)
        if let cap {
            var sql = "SELECT COUNT(*) FROM \(table) WHERE \(ownerColumn) = ?"
            var arguments: StatementArguments = [owner]
            if let countedStates {
                sql += " AND state IN (\(Array(repeating: "?", count: countedStates.count).joined(separator: ", ")))"
                arguments += StatementArguments(countedStates)
            }
            let count = try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0
            guard count < cap else { throw refusal(count) }
        }
        try db.execute(sql: """
            INSERT INTO \(table) (id, \(ownerColumn), state, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO NOTHING
            """, arguments: [id, owner, state, definition, createdAt, updatedAt])
        guard db.changesCount == 1 else { throw StudioError(.duplicateID, "\(table.dropLast()) \(id) already exists") }
    }

    /// `UPDATE table SET state, definition, updated_at WHERE id = ? AND state IN (expected)`;
    /// returns whether the row was in one of `expected` (and so was written).
    static func update(_ db: Database, table: String, id: String, state: String, definition: String, updatedAt: Double,
                       expecting expected: [String]) throws -> Bool {
        guard !expected.isEmpty else { return false }
        let placeholders = Array(repeating: "?", count: expected.count).joined(separator: ", ")
        var arguments: StatementArguments = [state, definition, updatedAt, id]
        arguments += StatementArguments(expected)
        try db.execute(sql: "UPDATE \(table) SET state = ?, definition = ?, updated_at = ? WHERE id = ? AND state IN (\(placeholders))",
                       arguments: arguments)
        return db.changesCount == 1
    }
}
