#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Storage for generation jobs. Narrow and async; every change is guarded by the state it
/// expects, so two processes resuming the same job cannot both finish it.
public protocol JobStore: Sendable {
    /// Records a new job, followed under `lease` when one is given. With `maxOpen`, refused with
    /// `too_many_jobs` when the user already has that many open jobs; the count and the insert
    /// are one transaction. Refused with `duplicate_id`, writing nothing, when a job with that id
    /// exists (of whichever user, in whatever state).
    func insert(_ job: GenerationJob, maxOpen: Int?, lease: JobLease?) async throws
    /// The job with `id`.
    func job(id: String) async throws -> GenerationJob?
    /// Writes `job` only if its stored state is one of `expected`; returns whether it did.
    func update(_ job: GenerationJob, expecting expected: Set<GenerationJob.State>) async throws -> Bool
    /// Every open job (held, submitted, running), oldest first: what a starting process resumes.
    func openJobs() async throws -> [GenerationJob]
    /// Gives `lease` to the open job `id` when it has none, when its lease ended before `now`, or
    /// when it is already `lease.owner`'s (a renewal); returns whether it did. Atomic: of several
    /// processes claiming one job at once, exactly one gets it.
    func claim(_ id: String, lease: JobLease, now: Date) async throws -> Bool
    /// Ends `owner`'s lease of the job `id` (a process stopping cleanly), so another may take it at once.
    func releaseLease(_ id: String, owner: String) async throws
    /// The lease of the job `id`, if it has one.
    func lease(of id: String) async throws -> JobLease?
    /// The user's jobs, newest first.
    func jobs(of user: UserID, limit: Int) async throws -> [GenerationJob]
    /// The server run times of the last `limit` completed jobs of `template` (any user), most
    /// recent first: what a wait estimate is made from.
    func recentRunSeconds(template: String, limit: Int) async throws -> [Double]
}

extension JobStore {
    /// Records a new job that no process follows yet.
    public func insert(_ job: GenerationJob, maxOpen: Int?) async throws {
        try await insert(job, maxOpen: maxOpen, lease: nil)
    }
}
