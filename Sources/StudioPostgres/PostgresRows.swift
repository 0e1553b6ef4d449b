import PostgresNIO
import Studio
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The shape the job, dataset and collection tables share: one row per record, its owner and
/// state as columns for the queries, the whole record as JSONB, and updates that happen only
/// from the states they expect. The same contract as the SQLite stores' rows.
enum PostgresRows {
    /// The records `query` returns as its one column of JSON text.
    static func records<Record: Decodable>(_ type: Record.Type, _ query: PostgresQuery, in database: PostgresDatabase) async throws -> [Record] {
        try await database.rows(query).map { try StoredJSON.decode(type, from: try $0.first(String.self)) }
    }

    /// Makes sure a `users` row exists for `user` (created at `now`).
    static func ensureUser(_ user: String, now: Double, in transaction: PostgresTransaction) async throws {
        try await transaction.execute("INSERT INTO users (id, standing, created_at) VALUES (\(user), 0, \(now)) ON CONFLICT (id) DO NOTHING")
    }

    /// Inserts a row (`id`, its owner in `ownerColumn`, `state`, `definition`, times), first making
    /// sure the owner's `users` row exists. With `cap`, counts the owner's rows in `countedStates`
    /// (all when `nil`) under a lock on the owner's rows of `table`, and throws `refusal(count)`
    /// when there are `cap` already: two instances inserting at once cannot both pass the count.
    /// With `lease` (jobs only), the row is followed by its owner from the start. Throws
    /// `duplicate_id`, writing nothing, when a row with `id` exists.
    static func insert(lease: (owner: String, until: Double)? = nil, table: String, ownerColumn: String, owner: String, id: String, state: String, definition: String,
                       createdAt: Double, updatedAt: Double, cap: Int?, countedStates: [String]? = nil,
                       refusal: @escaping @Sendable (Int) -> any Error, in database: PostgresDatabase) async throws {
        try await database.transaction { transaction in
            try await ensureUser(owner, now: createdAt, in: transaction)
            if let cap {
                try await transaction.lock("\(table):\(owner)")
                var query: PostgresQuery = "SELECT COUNT(*) FROM \(unescaped: table) WHERE \(unescaped: ownerColumn) = \(owner)"
                if let countedStates {
                    query = "SELECT COUNT(*) FROM \(unescaped: table) WHERE \(unescaped: ownerColumn) = \(owner) AND state = ANY(\(countedStates))"
                }
                let count = try await transaction.rows(query).first?.first(Int.self) ?? 0
                guard count < cap else { throw refusal(count) }
            }
            let inserted = try await transaction.rows("""
                INSERT INTO \(unescaped: table) (id, \(unescaped: ownerColumn), state, definition, created_at, updated_at)
                VALUES (\(id), \(owner), \(state), \(definition)::jsonb, \(createdAt), \(updatedAt))
                ON CONFLICT (id) DO NOTHING RETURNING 1
                """)
            guard inserted.count == 1 else { throw StudioError(.duplicateID, "\(table.dropLast()) \(id) already exists") }
            if let lease {
                try await transaction.execute("""
                    UPDATE \(unescaped: table) SET lease_owner = \(lease.owner), lease_until = \(lease.until) WHERE id = \(id)
                    """)
            }
        }
    }

    /// `UPDATE table SET state, definition, updated_at WHERE id AND state IN (expected)`; returns
    /// whether the row was in one of `expected` (and so was written).
    static func update(table: String, id: String, state: String, definition: String, updatedAt: Double,
                       expecting expected: [String], in database: PostgresDatabase) async throws -> Bool {
        guard !expected.isEmpty else { return false }
        return try await database.rows("""
            UPDATE \(unescaped: table) SET state = \(state), definition = \(definition)::jsonb, updated_at = \(updatedAt)
            WHERE id = \(id) AND state = ANY(\(expected)) RETURNING 1
            """).count == 1
    }
}
