public import Studio

extension MakeImage {
    /// The user's jobs, newest first (at most `limit`, 1 … 500).
    public func jobs(of user: UserID, limit: Int = 50) async throws -> [GenerationJob] {
        try await withWorkflowErrors { try await dependencies.jobs.jobs(of: user, limit: min(max(1, limit), 500)) }
    }

    /// The user's job `id`; `job_not_found` for an unknown id or another user's job.
    public func job(_ id: String, user: UserID) async throws -> GenerationJob {
        try await withWorkflowErrors {
            guard let job = try await dependencies.jobs.job(id: id), job.user == user else {
                throw StudioError(.jobNotFound, "there is no job '\(id)' of \(user)")
            }
            return job
        }
    }

    /// Job `id`, whoever's: for a front end that checks who may see it (`job_not_found` when
    /// there is none).
    public func job(_ id: String) async throws -> GenerationJob {
        try await withWorkflowErrors {
            guard let job = try await dependencies.jobs.job(id: id) else { throw StudioError(.jobNotFound, "there is no job '\(id)'") }
            return job
        }
    }

    /// The open jobs (held, submitted, running) whose ids start with `prefix` — a front end's own
    /// (`tg-<bot>-`) — oldest first.
    public func openJobs(prefix: String) async throws -> [GenerationJob] {
        try await withWorkflowErrors { try await dependencies.jobs.openJobs().filter { $0.id.hasPrefix(prefix) } }
    }

    /// Cancels `user`'s job `id`: interrupts or unqueues its prompt and releases its points.
    /// `job_not_found` for an unknown id or another user's job; a job already ended is left as it is.
    @discardableResult
    public func cancel(job id: String, user: UserID) async throws -> GenerationJob {
        try await withWorkflowErrors {
            var job = try await job(id, user: user)
            guard job.state.isOpen else { return job }
            if let ticket = job.ticket { try? await dependencies.generator.cancel(ticket) }
            job.state = .cancelled
            job.failure = .init(code: WorkflowError.Code.cancelled.rawValue, message: "cancelled by \(user)")
            job.updatedAt = dependencies.clock.now()
            // From any open state: the job may have moved from submitted to running meanwhile.
            if try await dependencies.jobs.update(job, expecting: GenerationJob.State.open) { await release(id) }
            return try await dependencies.jobs.job(id: id) ?? job
        }
    }
}
