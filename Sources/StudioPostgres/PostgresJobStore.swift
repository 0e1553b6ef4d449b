import PostgresNIO
public import Studio
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// ``JobStore`` on PostgreSQL: one row per job, its state and user as columns for the queries,
/// the whole job as JSONB. Guarded updates are `UPDATE … WHERE id AND state = ANY(expected)`,
/// atomic on the row, so two instances resuming the same job cannot both finish it.
public struct PostgresJobStore: JobStore {
    let database: PostgresDatabase

    public func insert(_ job: GenerationJob, maxOpen: Int?, lease: JobLease?) async throws {
        let user = job.user
        try await PostgresRows.insert(lease: lease.map { ($0.owner, $0.until.timeIntervalSince1970) },
                                      table: "jobs", ownerColumn: "user_id", owner: user.description, id: job.id,
                                      state: job.state.rawValue, definition: try StoredJSON.encode(job),
                                      createdAt: job.createdAt.timeIntervalSince1970, updatedAt: job.updatedAt.timeIntervalSince1970,
                                      cap: maxOpen, countedStates: GenerationJob.State.open.map(\.rawValue).sorted(),
                                      refusal: { open in
                                          StudioError(.tooManyJobs, "\(user) already has \(open) job\(open == 1 ? "" : "s") running or queued, the most allowed")
                                      }, in: database)
    }

    public func job(id: String) async throws -> GenerationJob? {
        try await PostgresRows.records(GenerationJob.self, "SELECT definition::text FROM jobs WHERE id = \(id)", in: database).first
    }

    public func update(_ job: GenerationJob, expecting expected: Set<GenerationJob.State>) async throws -> Bool {
        try await PostgresRows.update(table: "jobs", id: job.id, state: job.state.rawValue, definition: try StoredJSON.encode(job),
                                      updatedAt: job.updatedAt.timeIntervalSince1970, expecting: expected.map(\.rawValue).sorted(),
                                      in: database)
    }

    public func openJobs() async throws -> [GenerationJob] {
        let open = GenerationJob.State.open.map(\.rawValue).sorted()
        return try await PostgresRows.records(GenerationJob.self, """
            SELECT definition::text FROM jobs WHERE state = ANY(\(open)) ORDER BY created_at, id COLLATE "C"
            """, in: database)
    }

    public func claim(_ id: String, lease: JobLease, now: Date) async throws -> Bool {
        let open = GenerationJob.State.open.map(\.rawValue).sorted()
        return try await database.rows("""
            UPDATE jobs SET lease_owner = \(lease.owner), lease_until = \(lease.until.timeIntervalSince1970)
            WHERE id = \(id) AND state = ANY(\(open))
              AND (lease_owner IS NULL OR lease_until IS NULL OR lease_until < \(now.timeIntervalSince1970) OR lease_owner = \(lease.owner))
            RETURNING 1
            """).count == 1
    }

    public func releaseLease(_ id: String, owner: String) async throws {
        _ = try await database.rows("UPDATE jobs SET lease_owner = NULL, lease_until = NULL WHERE id = \(id) AND lease_owner = \(owner)")
    }

    public func lease(of id: String) async throws -> JobLease? {
        guard let row = try await database.rows("""
            SELECT lease_owner, lease_until FROM jobs WHERE id = \(id) AND lease_owner IS NOT NULL AND lease_until IS NOT NULL
            """).first else { return nil }
        return JobLease(owner: try row["lease_owner"], until: Date(timeIntervalSince1970: try row["lease_until"]))
    }

    public func jobs(of user: UserID, limit: Int) async throws -> [GenerationJob] {
        try await PostgresRows.records(GenerationJob.self, """
            SELECT definition::text FROM jobs WHERE user_id = \(user.description) ORDER BY created_at DESC, id COLLATE "C" DESC
            LIMIT \(max(0, limit))
            """, in: database)
    }

    public func recentRunSeconds(template: String, limit: Int) async throws -> [Double] {
        try await database.rows("""
            SELECT (definition->>'run_seconds')::float8 FROM jobs
            WHERE state = 'completed' AND definition->>'template' = \(template)
              AND jsonb_typeof(definition->'run_seconds') = 'number'
            ORDER BY updated_at DESC LIMIT \(max(0, limit))
            """).map { try $0.first(Double.self) }
    }
}
