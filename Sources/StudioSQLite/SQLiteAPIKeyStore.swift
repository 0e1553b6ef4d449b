import GRDB
public import Studio
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// ``APIKeyStore`` on SQLite: one row per key with its secret's hash.
public struct SQLiteAPIKeyStore: APIKeyStore {
    let writer: any DatabaseWriter

    public func insert(_ key: APIKey, secretHash: String) async throws {
        try await writer.write { db in
            try db.execute(sql: """
                INSERT INTO api_keys (id, name, role, platform, requests_per_minute, secret_hash, created_at, revoked_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, NULL)
                """, arguments: [key.id, key.name, key.role.rawValue, key.platform, key.requestsPerMinute, secretHash,
                                 key.createdAt.timeIntervalSince1970])
        }
    }

    public func key(id: String) async throws -> (key: APIKey, secretHash: String)? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE id = ?", arguments: [id]).map { (try Self.key(from: $0), $0["secret_hash"]) }
        }
    }

    public func keys() async throws -> [APIKey] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM api_keys ORDER BY created_at DESC, id").map(Self.key(from:))
        }
    }

    public func revoke(id: String, at date: Date) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                           arguments: [date.timeIntervalSince1970, id])
            return db.changesCount > 0
        }
    }

    private static func key(from row: Row) throws -> APIKey {
        let roleText: String = row["role"]
        guard let role = APIKey.Role(rawValue: roleText) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "api key \(row["id"] as String) has an unknown role '\(roleText)'"))
        }
        var key = APIKey(id: row["id"], name: row["name"], role: role, platform: row["platform"],
                         requestsPerMinute: row["requests_per_minute"], createdAt: Date(timeIntervalSince1970: row["created_at"]))
        key.revokedAt = (row["revoked_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        return key
    }
}
