import PostgresNIO
public import Studio
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// ``MediaStore`` on PostgreSQL: one row per media record. The quota check and the insert are
/// one transaction under a lock on the owner's media, so two instances never both squeeze under
/// the quota; inserts and deletions of the same digest take its lock too, so a deletion that
/// finds its bytes unused cannot overlap a new record of the same bytes.
public struct PostgresMediaStore: MediaStore {
    let database: PostgresDatabase

    public func insert(_ record: MediaRecord, quota: Int?) async throws {
        let owner = record.owner.description
        try await database.transaction { transaction in
            try await transaction.lock("digest:\(record.digest)")
            try await PostgresRows.ensureUser(owner, now: record.createdAt.timeIntervalSince1970, in: transaction)
            if let quota {
                try await transaction.lock("media:\(owner)")
                let used = try await transaction.rows("SELECT COALESCE(SUM(byte_count), 0)::bigint FROM media WHERE owner = \(owner)")
                    .first?.first(Int.self) ?? 0
                guard used + record.byteCount <= quota else {
                    throw StudioError(.storageQuotaExceeded,
                                      "storing \(record.byteCount) more bytes would take \(record.owner) to \(used + record.byteCount) bytes, past the quota of \(quota)",
                                      required: record.byteCount, available: max(0, quota - used))
                }
            }
            try await transaction.execute("""
                INSERT INTO media (id, owner, kind, format, byte_count, width, height, digest, source, derived_from, created_at)
                VALUES (\(record.id), \(owner), \(record.kind.rawValue), \(record.format), \(record.byteCount), \(record.width),
                        \(record.height), \(record.digest), \(record.source), \(record.derivedFrom), \(record.createdAt.timeIntervalSince1970))
                """)
        }
    }

    public func record(id: String) async throws -> MediaRecord? {
        try await database.rows("SELECT * FROM media WHERE id = \(id)").first.map(Self.record)
    }

    public func records(of owner: UserID, limit: Int, offset: Int) async throws -> [MediaRecord] {
        try await database.rows("""
            SELECT * FROM media WHERE owner = \(owner.description) ORDER BY created_at DESC, id COLLATE "C" DESC
            LIMIT \(max(0, limit)) OFFSET \(max(0, offset))
            """).map(Self.record)
    }

    public func delete(id: String, owner: UserID) async throws -> MediaDeletion? {
        try await database.transaction { transaction in
            guard let digest = try await transaction.rows("SELECT digest FROM media WHERE id = \(id) AND owner = \(owner.description)")
                .first?.first(String.self) else { return nil }
            try await transaction.lock("digest:\(digest)")
            guard let row = try await transaction.rows("DELETE FROM media WHERE id = \(id) AND owner = \(owner.description) RETURNING *").first else {
                return nil
            }
            let record = try Self.record(row)
            let others = try await transaction.rows("SELECT COUNT(*) FROM media WHERE digest = \(digest)").first?.first(Int.self) ?? 0
            return MediaDeletion(record: record, bytesStillUsed: others > 0)
        }
    }

    public func isReferenced(digest: String) async throws -> Bool {
        try await database.rows("SELECT EXISTS (SELECT 1 FROM media WHERE digest = \(digest))").first?.first(Bool.self) ?? false
    }

    public func usage(of owner: UserID) async throws -> MediaUsage {
        let row = try await database.rows("""
            SELECT COUNT(*) AS items, COALESCE(SUM(byte_count), 0)::bigint AS bytes FROM media WHERE owner = \(owner.description)
            """).first
        return MediaUsage(items: try row?["items"] ?? 0, bytes: try row?["bytes"] ?? 0)
    }

    private static func record(_ row: PostgresRecord) throws -> MediaRecord {
        guard let owner = UserID(try row["owner"] as String), let kind = MediaRecord.Kind(rawValue: try row["kind"]) else {
            throw StudioError(.invalidParams, "media record \((try? row["id"] as String) ?? "?") is malformed")
        }
        return MediaRecord(id: try row["id"], owner: owner, kind: kind, format: try row["format"], byteCount: try row["byte_count"],
                           width: try row["width"], height: try row["height"], digest: try row["digest"], source: try row["source"],
                           derivedFrom: try row["derived_from"], createdAt: Date(timeIntervalSince1970: try row["created_at"]))
    }
}
