import PostgresNIO
public import Studio

/// ``CursorStore`` on PostgreSQL: one row per cursor, moved forward by a guarded upsert (atomic
/// on the row, so instances saving at once keep the furthest).
public struct PostgresCursorStore: CursorStore {
    let database: PostgresDatabase

    public func position(of name: String) async throws -> Int? {
        try await database.rows("SELECT position FROM cursors WHERE name = \(name)").first?.first(Int.self)
    }

    public func save(_ name: String, position: Int) async throws {
        _ = try await database.rows("""
            INSERT INTO cursors (name, position) VALUES (\(name), \(position))
            ON CONFLICT (name) DO UPDATE SET position = excluded.position WHERE excluded.position > cursors.position
            """)
    }
}
