public import ComfyUIModel
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
public import Media
public import Studio
import Vips

/// The makeImage workflow: a prompt to delivered images, with a job and points that are never lost.
///
/// Settings are merged (request over preferences over defaults, validated against the user's
/// limits), the template chosen and filled, the estimate held, the job recorded, the prompt
/// submitted and followed, every image post-processed and stored, the history written, and the
/// hold settled on the server's run time. Every step after the hold is recorded in the job, and
/// every failure releases the hold; a job is completed exactly once, whoever finishes it (this
/// process, or another that resumed it after a restart). See ``resumeOpenJobs()`` and ``cancel(job:user:)``.
public struct MakeImage: Sendable {
    /// What the workflow is built on; the composition root picks the implementations.
    public struct Dependencies: Sendable {
        public var sessions: SessionService
        public var points: PointsService
        public var catalogue: WorkflowCatalogue
        public var jobs: any JobStore
        public var media: MediaService
        public var generator: any ImageGenerating
        public var clock: any StudioClock
        /// Longest a job may take from submission.
        public var deadline: Duration
        /// The watermark's text, when one is due.
        public var watermark: String
        /// How often a queued job's position is asked for, until it runs.
        public var queuePollInterval: Duration
        /// The leases under which this process follows jobs (one per process, shared).
        public var leases: JobLeases

        public init(sessions: SessionService, points: PointsService, catalogue: WorkflowCatalogue, jobs: any JobStore,
                    media: MediaService, generator: any ImageGenerating, clock: any StudioClock = SystemClock(),
                    deadline: Duration = .seconds(600), watermark: String = "darkroom", queuePollInterval: Duration = .seconds(2),
                    leases: JobLeases = JobLeases()) {
            self.sessions = sessions
            self.points = points
            self.catalogue = catalogue
            self.jobs = jobs
            self.media = media
            self.generator = generator
            self.clock = clock
            self.deadline = deadline
            self.watermark = watermark
            self.queuePollInterval = queuePollInterval
            self.leases = leases
        }
    }

    /// Longest prompt accepted, in characters.
    public static let maximumPromptLength = 2_000

    public let dependencies: Dependencies

    public init(_ dependencies: Dependencies) { self.dependencies = dependencies }

    /// Runs `request` to delivered images. Every error is a ``WorkflowError``. A job id starts
    /// one run: a second run of an id that is running or recorded fails with `duplicate_id` and
    /// touches nothing (the first keeps its hold).
    public func run(_ request: Request, onProgress: @escaping @Sendable (Progress) -> Void = { _ in }) async throws -> Result {
        let prepared: Prepared
        do { prepared = try await prepare(request) } catch { throw WorkflowError(error) }
        let deps = dependencies
        // Checked against the server's own lists (samplers, schedulers, models, ranges) before
        // anything is held: a setting the server cannot run is refused with every problem.
        do { try await deps.generator.check(prepared.entry.template, values: prepared.values.values) } catch {
            throw Self.workflowError(error)
        }
        // One run per job id: a second run of the same id (a retried request, an update handled
        // twice) must not share the first's hold — its failure would release the first's points.
        guard deps.leases.follow(request.job) else { throw Self.duplicate(request.job) }
        defer { deps.leases.unfollow(request.job) }
        guard try await withWorkflowErrors({ try await deps.jobs.job(id: request.job) }) == nil else { throw Self.duplicate(request.job) }
        try await withWorkflowErrors { try await deps.points.hold(user: request.user, job: request.job, estimate: prepared.estimate) }
        var job = GenerationJob(id: request.job, user: request.user, template: prepared.entry.name, prompt: request.prompt,
                                values: prepared.values.values, estimate: prepared.estimate, format: prepared.format.rawValue,
                                watermarked: prepared.watermarked, inputMedia: prepared.inputMedia,
                                deadline: deps.clock.now().addingTimeInterval(Double(deps.deadline.components.seconds)),
                                createdAt: deps.clock.now())
        do {
            try await deps.jobs.insert(job, maxOpen: prepared.limits.maxOpenJobs, lease: deps.leases.lease(from: deps.clock.now()))
        } catch StudioError.Code.duplicateID {
            // Recorded meanwhile by another instance, whose hold this is: left as it is.
            throw Self.duplicate(request.job)
        } catch {
            await release(request.job)
            throw WorkflowError(error)
        }
        let renewal = Task { [recorded = job.id] in await deps.leases.keepRenewing(recorded, in: deps.jobs, clock: deps.clock) }
        defer { renewal.cancel() }
        onProgress(.held(job: job.id, points: prepared.estimate))
        do {
            let images = prepared.image.map { ["image": $0] } ?? [:]
            let (jobs, clock, recorded) = (deps.jobs, deps.clock, job.id)
            let inProgress = try await deps.generator.submit(prepared.entry.template, values: job.values, images: images,
                                                             deadline: deps.deadline) { event in
                if case .started = event {
                    // Best effort, and only from `submitted`: a job that already ended stays as it ended.
                    Task {
                        guard var running = try? await jobs.job(id: recorded), running.state == .submitted else { return }
                        running.state = .running
                        running.updatedAt = clock.now()
                        _ = try? await jobs.update(running, expecting: [.submitted])
                    }
                }
                onProgress(.generation(event))
            }
            job.state = .submitted
            job.ticket = inProgress.ticket
            job.updatedAt = deps.clock.now()
            guard try await deps.jobs.update(job, expecting: [.held]) else {
                try? await deps.generator.cancel(inProgress.ticket)
                throw WorkflowError(.cancelled, "job \(job.id) was cancelled")
            }
            let watcher = Task { await watchQueue(inProgress.ticket, template: prepared.entry.name, onProgress: onProgress) }
            defer { watcher.cancel() }
            let result = try await inProgress.finish()
            watcher.cancel()
            onProgress(.finishing)
            return try await complete(job, with: result, prepared: prepared)
        } catch {
            throw await fail(job, error)
        }
    }

    /// Takes over every open job no live process follows (its lease ended, or it never had one:
    /// after a restart, or when another instance died) and follows them side by side: one never
    /// submitted is released; one submitted is watched through the server's history to its end
    /// and completed (or released); one past its deadline is interrupted and released. Jobs this
    /// process already follows, or whose lease another instance holds, are left alone. Returns
    /// the jobs taken over, as they ended, oldest first.
    public func resumeOpenJobs() async throws -> [GenerationJob] {
        let deps = dependencies
        let open = try await withWorkflowErrors { try await deps.jobs.openJobs() }
        return await withTaskGroup(of: (Int, GenerationJob)?.self) { group in
            for (index, job) in open.enumerated() where deps.leases.follow(job.id) {
                group.addTask {
                    defer { deps.leases.unfollow(job.id) }
                    let now = deps.clock.now()
                    guard (try? await deps.jobs.claim(job.id, lease: deps.leases.lease(from: now), now: now)) == true else { return nil }
                    let renewal = Task { await deps.leases.keepRenewing(job.id, in: deps.jobs, clock: deps.clock) }
                    defer { renewal.cancel() }
                    // Read again under the lease: the job may have moved on since the list was made.
                    guard let current = try? await deps.jobs.job(id: job.id), current.state.isOpen else { return nil }
                    return (index, await resume(current))
                }
            }
            return await group.reduce(into: [(Int, GenerationJob)]()) { if let ended = $1 { $0.append(ended) } }
                .sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// Gives back the leases of the jobs this process follows, so that another instance (or this
    /// one, started again) takes them over at once instead of when they run out: a clean stop.
    public func releaseLeases() async {
        let deps = dependencies
        for job in deps.leases.jobs { try? await deps.jobs.releaseLease(job, owner: deps.leases.instance) }
    }

    private func resume(_ job: GenerationJob) async -> GenerationJob {
        let deps = dependencies
        guard let ticket = job.ticket else {
            _ = await fail(job, WorkflowError(.generationFailed, "the process stopped before job \(job.id) was submitted"))
            return (try? await deps.jobs.job(id: job.id)) ?? job
        }
        let remaining = job.deadline.timeIntervalSince(deps.clock.now())
        do {
            guard remaining > 0 else {
                try? await deps.generator.cancel(ticket)
                throw WorkflowError(.generationTimeout, "job \(job.id) passed its deadline while the process was stopped")
            }
            let prepared = try await prepare(resuming: job)
            let result = try await deps.generator.resume(ticket, deadline: .seconds(remaining))
            _ = try await complete(job, with: result, prepared: prepared)
        } catch {
            _ = await fail(job, error)
        }
        return (try? await deps.jobs.job(id: job.id)) ?? job
    }

    /// Post-processes and stores the images, then claims the job (from any open state): only the
    /// claimer writes the history and settles. A finisher that loses the claim removes what it stored.
    private func complete(_ job: GenerationJob, with result: RunResult, prepared: Prepared) async throws -> Result {
        let deps = dependencies
        guard !result.images.isEmpty else { throw WorkflowError(.generationFailed, "the run saved no image") }
        let processor = ImagePostProcessor(format: prepared.format, watermark: prepared.watermarked ? deps.watermark : nil,
                                           limits: deps.media.policy.limits)
        var images: [Image] = []
        do {
            for output in result.images {
                let (data, preview) = try await deps.media.dependencies.workers.run { try processor.process(output.bytes) }
                let stored = try await deps.media.add(data, owner: job.user, source: "job:\(job.id)", derivedFrom: prepared.inputMedia)
                images.append(Image(media: stored, preview: try await deps.media.add(preview, owner: job.user,
                                                                                  source: "preview:\(stored.id)", derivedFrom: stored.id)))
            }
            var finished = job
            finished.state = .completed
            finished.media = images.map(\.media.id)
            finished.cost = deps.points.policy.cost(runSeconds: result.runSeconds, pointsPerSecond: prepared.entry.pricing.pointsPerSecond)
            finished.runSeconds = result.runSeconds
            finished.updatedAt = deps.clock.now()
            guard try await deps.jobs.update(finished, expecting: GenerationJob.State.open) else {
                throw WorkflowError(.cancelled, "job \(job.id) ended elsewhere (cancelled or finished) before it was completed here")
            }
            let hold = try await deps.points.settle(job: job.id, cost: finished.cost ?? 0)
            try await deps.sessions.recordGeneration(HistoryEntry(at: deps.clock.now(), prompt: job.prompt, template: job.template,
                                                                  job: job.id, media: finished.media), of: job.user)
            let available = try await deps.points.balance(of: job.user).available
            return Result(job: job.id, images: images, seed: job.values["seed"]?.int64, cost: hold.cost ?? 0, available: available,
                          runSeconds: result.runSeconds, values: job.values)
        } catch {
            for image in images {
                try? await deps.media.delete(image.preview.id, owner: job.user)
                try? await deps.media.delete(image.media.id, owner: job.user)
            }
            throw error
        }
    }

    /// Ends an open job after `error` (recording why) and releases its hold; returns the error
    /// to throw, as a ``WorkflowError`` in makeImage's terms.
    private func fail(_ job: GenerationJob, _ error: any Error) async -> WorkflowError {
        var failure = Self.workflowError(error)
        let deps = dependencies
        var ended = (try? await deps.jobs.job(id: job.id)) ?? job
        if ended.state == .cancelled {
            // Cancelled while it ran: whatever the run then reported, that is what happened.
            failure = WorkflowError(.cancelled, ended.failure?.message ?? "job \(job.id) was cancelled")
        }
        if ended.state.isOpen {
            let from = ended.state
            ended.state = switch failure.code {
            case .generationTimeout: .timedOut
            case .cancelled: .cancelled
            default: .failed
            }
            ended.failure = .init(code: failure.code.rawValue, message: failure.message)
            ended.updatedAt = deps.clock.now()
            _ = try? await deps.jobs.update(ended, expecting: [from])
        }
        // A job that completed elsewhere is settled; releasing it is refused and changes nothing.
        await release(job.id)
        return failure
    }

    /// Releases a hold in a task of its own, so that a cancelled request still frees its points.
    func release(_ job: String) async {
        let points = dependencies.points
        await Task { _ = try? await points.release(job: job) }.value
    }

    /// `duplicate_id`: a run with this job id is already under way here, or its job is recorded.
    static func duplicate(_ job: String) -> WorkflowError {
        WorkflowError(.duplicateID, "job \(job) already exists; a job id starts one run")
    }

    /// makeImage's names for what can go wrong after the hold.
    static func workflowError(_ error: any Error) -> WorkflowError {
        if let error = error as? ComfyUIError {
            switch error.code {
            case .graphRejected, .validationFailed, .invalidInput:
                return WorkflowError(.submissionFailed, error.message, problems: error.problems.map(\.description))
            case .interrupted: return WorkflowError(.cancelled, error.message)
            default: break
            }
        }
        return WorkflowError(error)
    }
}
