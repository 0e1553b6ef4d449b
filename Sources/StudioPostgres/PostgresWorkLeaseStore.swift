import PostgresNIO
public import Studio
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// ``WorkLeaseStore`` on PostgreSQL: one row per held lease; a claim is one upsert guarded by
/// the lease it finds, atomic on the row.
public struct PostgresWorkLeaseStore: WorkLeaseStore {
    let database: PostgresDatabase

    public func claim(_ key: String, lease: JobLease, now: Date) async throws -> Bool {
        try await database.rows("""
            INSERT INTO work_leases (key, owner, until) VALUES (\(key), \(lease.owner), \(lease.until.timeIntervalSince1970))
            ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, until = excluded.until
            WHERE work_leases.until < \(now.timeIntervalSince1970) OR work_leases.owner = excluded.owner
            RETURNING 1
            """).count == 1
    }

    public func release(_ key: String, owner: String) async throws {
        _ = try await database.rows("DELETE FROM work_leases WHERE key = \(key) AND owner = \(owner)")
    }

    public func lease(of key: String) async throws -> JobLease? {
        guard let row = try await database.rows("SELECT owner, until FROM work_leases WHERE key = \(key)").first else { return nil }
        return JobLease(owner: try row["owner"], until: Date(timeIntervalSince1970: try row["until"]))
    }
}
