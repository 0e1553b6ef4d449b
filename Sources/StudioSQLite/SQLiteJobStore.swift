import GRDB
public import Studio
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// ``JobStore`` on SQLite: one row per job, its state and user as columns for the queries, the
/// whole job as JSON. Guarded updates are `UPDATE … WHERE id = ? AND state IN (…)`.
public struct SQLiteJobStore: JobStore {
    let writer: any DatabaseWriter

    public func insert(_ job: GenerationJob, maxOpen: Int?, lease: JobLease?) async throws {
        let definition = try StoredJSON.encode(job)
        try await writer.write { db in
            try StateGuardedRows.insert(db, table: "jobs", ownerColumn: "user", owner: job.user.description, id: job.id,
                                        state: job.state.rawValue, definition: definition,
                                        createdAt: job.createdAt.timeIntervalSince1970, updatedAt: job.updatedAt.timeIntervalSince1970,
                                        cap: maxOpen, countedStates: GenerationJob.State.open.map(\.rawValue).sorted()) { open in
                StudioError(.tooManyJobs, "\(job.user) already has \(open) job\(open == 1 ? "" : "s") running or queued, the most allowed")
            }
            if let lease {
                try db.execute(sql: "UPDATE jobs SET lease_owner = ?, lease_until = ? WHERE id = ?",
                               arguments: [lease.owner, lease.until.timeIntervalSince1970, job.id])
            }
        }
    }

    public func job(id: String) async throws -> GenerationJob? {
        try await writer.read { db in
            try String.fetchOne(db, sql: "SELECT definition FROM jobs WHERE id = ?", arguments: [id]).map { try StoredJSON.decode(GenerationJob.self, from: $0) }
        }
    }

    public func update(_ job: GenerationJob, expecting expected: Set<GenerationJob.State>) async throws -> Bool {
        let definition = try StoredJSON.encode(job)
        return try await writer.write { db in
            try StateGuardedRows.update(db, table: "jobs", id: job.id, state: job.state.rawValue, definition: definition,
                                        updatedAt: job.updatedAt.timeIntervalSince1970, expecting: expected.map(\.rawValue).sorted())
        }
    }

    public func openJobs() async throws -> [GenerationJob] {
        try await writer.read { db in
            try String.fetchAll(db, sql: "SELECT definition FROM jobs WHERE state IN ('held', 'submitted', 'running') ORDER BY created_at, id")
                .map { try StoredJSON.decode(GenerationJob.self, from: $0) }
        }
    }

    public func claim(_ id: String, lease: JobLease, now: Date) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: """
                UPDATE jobs SET lease_owner = ?, lease_until = ?
                WHERE id = ? AND state IN ('held', 'submitted', 'running')
                  AND (lease_owner IS NULL OR lease_until IS NULL OR lease_until < ? OR lease_owner = ?)
                """, arguments: [lease.owner, lease.until.timeIntervalSince1970, id, now.timeIntervalSince1970, lease.owner])
            return db.changesCount == 1
        }
    }

    public func releaseLease(_ id: String, owner: String) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE jobs SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?",
                           arguments: [id, owner])
        }
    }

    public func lease(of id: String) async throws -> JobLease? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT lease_owner, lease_until FROM jobs WHERE id = ? AND lease_owner IS NOT NULL AND lease_until IS NOT NULL",
                             arguments: [id]).map { JobLease(owner: $0["lease_owner"], until: Date(timeIntervalSince1970: $0["lease_until"])) }
        }
    }

    public func jobs(of user: UserID, limit: Int) async throws -> [GenerationJob] {
        try await writer.read { db in
            try String.fetchAll(db, sql: "SELECT definition FROM jobs WHERE user = ? ORDER BY created_at DESC, id DESC LIMIT ?",
                                arguments: [user.description, max(0, limit)]).map { try StoredJSON.decode(GenerationJob.self, from: $0) }
        }
    }

    public func recentRunSeconds(template: String, limit: Int) async throws -> [Double] {
        try await writer.read { db in
            try Double.fetchAll(db, sql: """
                SELECT json_extract(definition, '$.run_seconds') AS seconds FROM jobs
                WHERE state = 'completed' AND json_extract(definition, '$.template') = ? AND seconds IS NOT NULL
                ORDER BY updated_at DESC LIMIT ?
                """, arguments: [template, max(0, limit)])
        }
    }
}
