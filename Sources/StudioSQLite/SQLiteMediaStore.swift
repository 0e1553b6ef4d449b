import GRDB
public import Studio
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// ``MediaStore`` on SQLite: one row per media record; the quota check and the insert are one
/// write transaction (SQLite serialises writers, so two inserts never both pass the check).
public struct SQLiteMediaStore: MediaStore {
    let writer: any DatabaseWriter

    public func insert(_ record: MediaRecord, quota: Int?) async throws {
        try await writer.write { db in
            try StudioDatabase.ensureUser(record.owner.description, now: record.createdAt.timeIntervalSince1970, in: db)
            if let quota {
                let used = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(byte_count), 0) FROM media WHERE owner = ?",
                                            arguments: [record.owner.description]) ?? 0
                guard used + record.byteCount <= quota else {
                    throw StudioError(.storageQuotaExceeded,
                                      "storing \(record.byteCount) more bytes would take \(record.owner) to \(used + record.byteCount) bytes, past the quota of \(quota)",
                                      required: record.byteCount, available: max(0, quota - used))
                }
            }
            try db.execute(sql: """
                INSERT INTO media (id, owner, kind, format, byte_count, width, height, digest, source, derived_from, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [record.id, record.owner.description, record.kind.rawValue, record.format, record.byteCount,
                                 record.width, record.height, record.digest, record.source, record.derivedFrom,
                                 record.createdAt.timeIntervalSince1970])
        }
    }

    public func record(id: String) async throws -> MediaRecord? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM media WHERE id = ?", arguments: [id]).map(Self.record)
        }
    }

    public func records(of owner: UserID, limit: Int, offset: Int) async throws -> [MediaRecord] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM media WHERE owner = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
                             arguments: [owner.description, max(0, limit), max(0, offset)]).map(Self.record)
        }
    }

    public func delete(id: String, owner: UserID) async throws -> MediaDeletion? {
        try await writer.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM media WHERE id = ? AND owner = ?",
                                             arguments: [id, owner.description]) else { return nil }
            let record = try Self.record(row)
            try db.execute(sql: "DELETE FROM media WHERE id = ?", arguments: [id])
            let others = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM media WHERE digest = ?", arguments: [record.digest]) ?? 0
            return MediaDeletion(record: record, bytesStillUsed: others > 0)
        }
    }

    public func isReferenced(digest: String) async throws -> Bool {
        try await writer.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM media WHERE digest = ?)", arguments: [digest]) ?? false
        }
    }

    public func usage(of owner: UserID) async throws -> MediaUsage {
        try await writer.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS items, COALESCE(SUM(byte_count), 0) AS bytes FROM media WHERE owner = ?",
                                       arguments: [owner.description])
            return MediaUsage(items: row?["items"] ?? 0, bytes: row?["bytes"] ?? 0)
        }
    }

    private static func record(_ row: Row) throws -> MediaRecord {
        guard let owner = UserID(row["owner"] as String), let kind = MediaRecord.Kind(rawValue: row["kind"]) else {
            throw StudioError(.invalidParams, "media record \(row["id"] as String? ?? "?") is malformed")
        }
        return MediaRecord(id: row["id"], owner: owner, kind: kind, format: row["format"], byteCount: row["byte_count"],
                           width: row["width"], height: row["height"], digest: row["digest"], source: row["source"],
                           derivedFrom: row["derived_from"], createdAt: Date(timeIntervalSince1970: row["created_at"]))
    }
}
