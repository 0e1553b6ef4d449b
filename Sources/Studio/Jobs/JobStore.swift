/// Storage for generation jobs. Narrow and async; every change is guarded by the state it
/// expects, so two processes resuming the same job cannot both finish it.
public protocol JobStore: Sendable {
    /// Records a new job. With `maxOpen`, refused with `too_many_jobs` when the user already has
    /// that many open jobs; the count and the insert are one transaction.
    func insert(_ job: GenerationJob, maxOpen: Int?) async throws
    /// The job with `id`.
    func job(id: String) async throws -> GenerationJob?
    /// Writes `job` only if its stored state is one of `expected`; returns whether it did.
    func update(_ job: GenerationJob, expecting expected: Set<GenerationJob.State>) async throws -> Bool
    /// Every open job (held, submitted, running), oldest first: what a starting process resumes.
    func openJobs() async throws -> [GenerationJob]
    /// The user's jobs, newest first.
    func jobs(of user: UserID, limit: Int) async throws -> [GenerationJob]
    /// The server run times of the last `limit` completed jobs of `template` (any user), most
    /// recent first: what a wait estimate is made from.
    func recentRunSeconds(template: String, limit: Int) async throws -> [Double]
}
