import GRDB
public import Studio
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// ``WorkLeaseStore`` on SQLite: one row per held lease.
public struct SQLiteWorkLeaseStore: WorkLeaseStore {
    let writer: any DatabaseWriter

    public func claim(_ key: String, lease: JobLease, now: Date) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: """
                INSERT INTO work_leases (key, owner, until) VALUES (?, ?, ?)
                ON CONFLICT(key) DO UPDATE SET owner = excluded.owner, until = excluded.until
                WHERE work_leases.until < ? OR work_leases.owner = excluded.owner
                """, arguments: [key, lease.owner, lease.until.timeIntervalSince1970, now.timeIntervalSince1970])
            return db.changesCount == 1
        }
    }

    public func release(_ key: String, owner: String) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM work_leases WHERE key = ? AND owner = ?", arguments: [key, owner])
        }
    }

    public func lease(of key: String) async throws -> JobLease? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT owner, until FROM work_leases WHERE key = ?", arguments: [key])
                .map { JobLease(owner: $0["owner"], until: Date(timeIntervalSince1970: $0["until"])) }
        }
    }
}
