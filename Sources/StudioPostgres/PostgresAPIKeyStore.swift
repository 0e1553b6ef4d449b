import PostgresNIO
public import Studio
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// ``APIKeyStore`` on PostgreSQL: one row per key with its secret's hash.
public struct PostgresAPIKeyStore: APIKeyStore {
    let database: PostgresDatabase

    public func insert(_ key: APIKey, secretHash: String) async throws {
        _ = try await database.rows("""
            INSERT INTO api_keys (id, name, role, platform, requests_per_minute, secret_hash, created_at, revoked_at)
            VALUES (\(key.id), \(key.name), \(key.role.rawValue), \(key.platform), \(key.requestsPerMinute), \(secretHash),
                    \(key.createdAt.timeIntervalSince1970), NULL)
            """)
    }

    public func key(id: String) async throws -> (key: APIKey, secretHash: String)? {
        guard let row = try await database.rows("SELECT * FROM api_keys WHERE id = \(id)").first else { return nil }
        return (try Self.key(from: row), try row["secret_hash"])
    }

    public func keys() async throws -> [APIKey] {
        try await database.rows("SELECT * FROM api_keys ORDER BY created_at DESC, id COLLATE \"C\"").map(Self.key(from:))
    }

    public func revoke(id: String, at date: Date) async throws -> Bool {
        try await database.rows("""
            UPDATE api_keys SET revoked_at = \(date.timeIntervalSince1970) WHERE id = \(id) AND revoked_at IS NULL RETURNING 1
            """).count > 0
    }

    private static func key(from row: PostgresRecord) throws -> APIKey {
        let roleText: String = try row["role"]
        guard let role = APIKey.Role(rawValue: roleText) else {
            throw StudioError(.invalidParams, "api key \((try? row["id"] as String) ?? "?") has an unknown role '\(roleText)'")
        }
        var key = APIKey(id: try row["id"], name: try row["name"], role: role, platform: try row["platform"],
                         requestsPerMinute: try row["requests_per_minute"], createdAt: Date(timeIntervalSince1970: try row["created_at"]))
        key.revokedAt = (try row["revoked_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        return key
    }
}
