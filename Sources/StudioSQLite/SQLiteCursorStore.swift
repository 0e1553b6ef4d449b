import GRDB
public import Studio

/// ``CursorStore`` on SQLite: one row per cursor, moved forward by a guarded upsert.
public struct SQLiteCursorStore: CursorStore {
    let writer: any DatabaseWriter

    public func position(of name: String) async throws -> Int? {
        try await writer.read { db in try Int.fetchOne(db, sql: "SELECT position FROM cursors WHERE name = ?", arguments: [name]) }
    }

    public func save(_ name: String, position: Int) async throws {
        try await writer.write { db in
            try db.execute(sql: """
                INSERT INTO cursors (name, position) VALUES (?, ?)
                ON CONFLICT(name) DO UPDATE SET position = excluded.position WHERE excluded.position > cursors.position
                """, arguments: [name, position])
        }
    }
}
