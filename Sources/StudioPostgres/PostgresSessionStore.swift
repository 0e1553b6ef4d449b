import PostgresNIO
public import Studio
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// ``SessionStore`` on PostgreSQL: sessions, preferences (JSON) and history rows.
public struct PostgresSessionStore: SessionStore {
    let database: PostgresDatabase

    public func session(of user: UserID, creating fresh: Session) async throws -> Session {
        let preferences = try StoredJSON.encode(fresh.preferences)
        let id = user.description, now = fresh.createdAt.timeIntervalSince1970
        return try await database.transaction { transaction in
            try await PostgresRows.ensureUser(id, now: now, in: transaction)
            try await transaction.execute("""
                INSERT INTO sessions (user_id, preferences, created_at, updated_at) VALUES (\(id), \(preferences), \(now), \(now))
                ON CONFLICT (user_id) DO NOTHING
                """)
            guard let row = try await transaction.rows("""
                SELECT s.*, u.standing, u.standing_checked_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.user_id = \(id)
                """).first else {
                throw StudioError(.unknownUser, "the session of \(user) could not be created")
            }
            var session = Session(user: user, now: Date(timeIntervalSince1970: try row["created_at"]))
            session.preferences = try StoredJSON.decode(GenerationSettings.self, from: try row["preferences"])
            session.standing = try row["standing"]
            session.standingCheckedAt = (try row["standing_checked_at"] as Double?).map(Date.init(timeIntervalSince1970:))
            session.updatedAt = Date(timeIntervalSince1970: try row["updated_at"])
            return session
        }
    }

    public func savePreferences(_ preferences: GenerationSettings, of user: UserID, at date: Date) async throws {
        let json = try StoredJSON.encode(preferences)
        let changed = try await database.rows("""
            UPDATE sessions SET preferences = \(json), updated_at = \(date.timeIntervalSince1970) WHERE user_id = \(user.description) RETURNING 1
            """).count
        guard changed == 1 else { throw StudioError(.unknownUser, "\(user) has no session") }
    }

    public func recordStandingCheck(of user: UserID, at date: Date) async throws {
        let changed = try await database.rows("""
            UPDATE users SET standing_checked_at = \(date.timeIntervalSince1970) WHERE id = \(user.description) RETURNING 1
            """).count
        guard changed == 1 else { throw StudioError(.unknownUser, "\(user) is not known") }
    }

    public func appendHistory(_ entry: HistoryEntry, of user: UserID, keeping limit: Int) async throws {
        let json = try StoredJSON.encode(entry)
        let id = user.description
        try await database.transaction { transaction in
            try await transaction.execute("INSERT INTO history (user_id, at, entry) VALUES (\(id), \(entry.at.timeIntervalSince1970), \(json))")
            try await transaction.execute("""
                DELETE FROM history WHERE user_id = \(id) AND id NOT IN
                  (SELECT id FROM history WHERE user_id = \(id) ORDER BY at DESC, id DESC LIMIT \(max(0, limit)))
                """)
        }
    }

    public func history(of user: UserID, limit: Int) async throws -> [HistoryEntry] {
        try await database.rows("SELECT entry FROM history WHERE user_id = \(user.description) ORDER BY at DESC, id DESC LIMIT \(max(0, limit))")
            .map { try StoredJSON.decode(HistoryEntry.self, from: try $0.first(String.self)) }
    }
}
