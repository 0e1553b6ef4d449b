import GRDB
public import Studio
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// ``SessionStore`` on SQLite: sessions, preferences (JSON) and history rows.
public struct SQLiteSessionStore: SessionStore {
    let writer: any DatabaseWriter

    public func session(of user: UserID, creating fresh: Session) async throws -> Session {
        let preferences = try Self.encode(fresh.preferences)
        return try await writer.write { db in
            let id = user.description, now = fresh.createdAt.timeIntervalSince1970
            try StudioDatabase.ensureUser(id, now: now, in: db)
            try db.execute(sql: """
                INSERT OR IGNORE INTO sessions (user, preferences, created_at, updated_at) VALUES (?, ?, ?, ?)
                """, arguments: [id, preferences, now, now])
            guard let row = try Row.fetchOne(db, sql: """
                SELECT s.*, u.standing, u.standing_checked_at FROM sessions s JOIN users u ON u.id = s.user WHERE s.user = ?
                """, arguments: [id]) else {
                throw StudioError(.unknownUser, "the session of \(user) could not be created")
            }
            var session = Session(user: user, now: Date(timeIntervalSince1970: row["created_at"]))
            session.preferences = try Self.decode(row["preferences"])
            session.standing = row["standing"]
            session.standingCheckedAt = (row["standing_checked_at"] as Double?).map(Date.init(timeIntervalSince1970:))
            session.updatedAt = Date(timeIntervalSince1970: row["updated_at"])
            return session
        }
    }

    public func savePreferences(_ preferences: GenerationSettings, of user: UserID, at date: Date) async throws {
        let json = try Self.encode(preferences)
        try await writer.write { db in
            try db.execute(sql: "UPDATE sessions SET preferences = ?, updated_at = ? WHERE user = ?",
                           arguments: [json, date.timeIntervalSince1970, user.description])
            guard db.changesCount == 1 else { throw StudioError(.unknownUser, "\(user) has no session") }
        }
    }

    public func recordStandingCheck(of user: UserID, at date: Date) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE users SET standing_checked_at = ? WHERE id = ?",
                           arguments: [date.timeIntervalSince1970, user.description])
            guard db.changesCount == 1 else { throw StudioError(.unknownUser, "\(user) is not known") }
        }
    }

    public func appendHistory(_ entry: HistoryEntry, of user: UserID, keeping limit: Int) async throws {
        let json = try Self.encode(entry)
        try await writer.write { db in
            let id = user.description
            try db.execute(sql: "INSERT INTO history (user, at, entry) VALUES (?, ?, ?)",
                           arguments: [id, entry.at.timeIntervalSince1970, json])
            try db.execute(sql: """
                DELETE FROM history WHERE user = ? AND id NOT IN
                  (SELECT id FROM history WHERE user = ? ORDER BY at DESC, id DESC LIMIT ?)
                """, arguments: [id, id, limit])
        }
    }

    public func history(of user: UserID, limit: Int) async throws -> [HistoryEntry] {
        try await writer.read { db in
            try String.fetchAll(db, sql: "SELECT entry FROM history WHERE user = ? ORDER BY at DESC, id DESC LIMIT ?",
                                arguments: [user.description, limit]).map { try Self.decode($0) }
        }
    }

    private static func encode<Value: Encodable>(_ value: Value) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    private static func decode<Value: Decodable>(_ json: String) throws -> Value {
        try JSONDecoder().decode(Value.self, from: Data(json.utf8))
    }
}
