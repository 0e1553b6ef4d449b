import Foundation
public import Studio
import Vips

extension Collections {
    /// Cooks the series: draws and makes pieces through makeImage, one at a time, until the
    /// supply is reached (`finished`), credits run low (`stopped`, code `not_enough_points`),
    /// pieces fail ``Dependencies/maxFailuresInARow`` times in a row (`stopped`), or the owner
    /// pauses or stops it. Every piece is recorded before its job starts and its job before it
    /// runs, so a restart (``resumeOpenCooks()``) carries on where the cook was. Returns the
    /// collection as the cook left it. A failed piece is made again under the same number.
    public func cook(_ id: String, owner: UserID, onProgress: @escaping @Sendable (CookProgress) -> Void = { _ in }) async throws -> MediaCollection {
        var collection = try await collection(id, owner: owner)
        return try await withWorkflowErrors {
            guard let series = collection.series else {
                throw StudioError(.collectionStateConflict, "collection \(id) has no series to cook; give it one first")
            }
            _ = try Self.parse(series)
            guard collection.cook.state != .cooking else {
                throw StudioError(.collectionStateConflict, "collection \(id) is already cooking (if the process that cooked it stopped, "
                                  + "a resume carries it on: `darkroom collection cook --resume`, or a restart of `darkroom serve`)")
            }
            collection.cook = .init(state: .cooking)
            collection.updatedAt = dependencies.clock.now()
            let starting = collection
            // Followed under a lease, so that a process that dies mid-cook leaves it to another instance.
            let cooked = try await dependencies.makeImage.dependencies.leases.following("cook:\(id)", clock: dependencies.clock) {
                guard try await dependencies.collections.update(starting, expecting: [.idle, .paused, .stopped, .finished]) else {
                    throw StudioError(.collectionStateConflict, "collection \(id) started cooking meanwhile")
                }
                return try await runCook(id, onProgress: onProgress)
            }
            guard let cooked else { throw StudioError(.collectionStateConflict, "collection \(id) is being cooked by another instance") }
            return cooked
        }
    }

    /// Pauses a cook: the piece in progress is finished, no new one is started.
    public func pause(_ id: String, owner: UserID) async throws -> MediaCollection {
        try await end(id, owner: owner, as: .init(state: .paused, reason: "paused by \(owner)"), cancelling: false)
    }

    /// Stops a cook: the piece in progress is cancelled (its points released) and drawn again
    /// by the next cook.
    public func stop(_ id: String, owner: UserID) async throws -> MediaCollection {
        try await end(id, owner: owner, as: .init(state: .stopped, reason: "stopped by \(owner)"), cancelling: true)
    }

    /// Carries on every cook that was running when the process stopped (run makeImage's
    /// ``MakeImage/resumeOpenJobs()`` first, or alongside: a piece whose job is still open is
    /// followed until it ends). Cooks another live instance follows are left to it; those of an
    /// instance that died are carried on once its lease has ended. Returns the collections as
    /// their cooks left them.
    public func resumeOpenCooks(onProgress: @escaping @Sendable (String, CookProgress) -> Void = { _, _ in }) async throws -> [MediaCollection] {
        let open = try await withWorkflowErrors { try await dependencies.collections.collections(cooking: [.cooking]) }
        let (leases, clock) = (dependencies.makeImage.dependencies.leases, dependencies.clock)
        // Each cook on its own: one collection's long cook does not hold up another's. A cook
        // another live instance follows (its lease runs) is left to it.
        return try await withThrowingTaskGroup(of: MediaCollection?.self) { group in
            for collection in open {
                group.addTask {
                    try await withWorkflowErrors {
                        try await leases.following("cook:\(collection.id)", clock: clock) {
                            try await runCook(collection.id) { onProgress(collection.id, $0) }
                        }
                    }
                }
            }
            return try await group.reduce(into: []) { if let ended = $1 { $0.append(ended) } }.sorted { $0.createdAt < $1.createdAt }
        }
    }

    private func end(_ id: String, owner: UserID, as cook: MediaCollection.Cook, cancelling: Bool) async throws -> MediaCollection {
        var collection = try await collection(id, owner: owner)
        return try await withWorkflowErrors {
            guard collection.cook.state == .cooking || (cook.state == .stopped && collection.cook.state == .paused) else {
                throw StudioError(.collectionStateConflict, "collection \(id) is not cooking (it is \(collection.cook.state.rawValue))")
            }
            let was = collection.cook.state
            collection.cook = cook
            collection.updatedAt = dependencies.clock.now()
            guard try await dependencies.collections.update(collection, expecting: [was]) else {
                throw StudioError(.collectionStateConflict, "collection \(id) changed meanwhile; look again")
            }
            if cancelling {
                for piece in try await dependencies.collections.pieces(of: id) where piece.state == .generating {
                    if let job = piece.job { _ = try? await dependencies.makeImage.cancel(job: job, user: owner) }
                }
            }
            return collection
        }
    }

    /// The loop: runs while the stored cook says `cooking`.
    private func runCook(_ id: String, onProgress: @escaping @Sendable (CookProgress) -> Void) async throws -> MediaCollection {
        let store = dependencies.collections
        var failuresInARow = 0
        var lastFailure: WorkflowError?
        while true {
            // A cancelled task leaves the cook `cooking`: the next start resumes it.
            try Task.checkCancellation()
            guard var collection = try await store.collection(id: id) else {
                throw StudioError(.collectionNotFound, "collection \(id) was deleted while it cooked")
            }
            guard collection.cook.state == .cooking, let series = collection.series else {
                onProgress(.ended(collection.cook))
                return collection
            }
            let master = try Self.parse(series)
            let pieces = try await store.pieces(of: id)
            let made = pieces.count { $0.state == .made }
            let waiting = pieces.contains { $0.state == .planned || $0.state == .generating }
            if made >= series.supply && !waiting {
                return try await finish(&collection, .init(state: .finished, reason: "the supply of \(series.supply) is reached"), onProgress)
            }
            if failuresInARow >= dependencies.maxFailuresInARow, let lastFailure {
                let reason = "\(failuresInARow) pieces failed in a row; the last: \(lastFailure.message)"
                return try await finish(&collection, .init(state: .stopped, reason: reason, code: lastFailure.code.rawValue), onProgress)
            }
            var piece: CollectionPiece
            if let open = pieces.first(where: { $0.state == .generating || $0.state == .planned }) ?? pieces.first(where: { $0.state == .failed }) {
                piece = open
            } else {
                let number = (pieces.map(\.number).max() ?? 0) + 1
                let draw = series.draw(piece: number, prompt: master)
                piece = CollectionPiece(collection: id, number: number, traits: draw.traits.mapValues(\.name), prompt: draw.prompt, seed: draw.seed,
                                        configHash: series.configHash, createdAt: dependencies.clock.now())
                try await store.insert(piece)
            }
            onProgress(.piece(number: piece.number, made: made, supply: series.supply, prompt: piece.prompt))
            do {
                let media = try await make(&piece, series: series, owner: collection.owner, onProgress: onProgress)
                failuresInARow = 0
                onProgress(.made(number: piece.number, media: media, made: made + 1, supply: series.supply))
            } catch let error as WorkflowError where error.code == .notEnoughPoints {
                let needs = error.required.map { " (piece \(piece.number) needs \($0) points, \(error.available ?? 0) available)" } ?? ""
                return try await finish(&collection, .init(state: .stopped, reason: "credits ran low\(needs)", code: error.code.rawValue), onProgress)
            } catch let error as WorkflowError where Self.seriesFaults.contains(error.code.rawValue) {
                // Refused for what the series asks, not for the piece: every piece would be.
                let reason = "the series cannot be made: \(error.message)"
                return try await finish(&collection, .init(state: .stopped, reason: reason, code: error.code.rawValue), onProgress)
            } catch let error as WorkflowError where error.code == .comfyuiUnavailable {
                let reason = "\(error.message); cook again when a server answers"
                return try await finish(&collection, .init(state: .stopped, reason: reason, code: error.code.rawValue), onProgress)
            } catch let error as WorkflowError where error.code == .cancelled {
                continue  // stopped by the owner: the loop sees the stored state
            } catch let error as WorkflowError {
                failuresInARow += 1
                lastFailure = error
                onProgress(.failed(number: piece.number, code: error.code.rawValue, message: error.message))
            }
        }
    }

    /// Refusals that every piece of the series would get (its settings, template or inputs).
    static let seriesFaults: Set<String> = ["invalid_settings", "invalid_params", "unknown_template", "template_unavailable"]

    /// Makes one piece: records its job before running it (or follows the job recorded before a
    /// restart), stores the result as a member. Leaves the piece `planned` when no job was
    /// recorded (refused before anything was held), `failed` when its job failed.
    private func make(_ piece: inout CollectionPiece, series: GenerativeSeries, owner: UserID,
                      onProgress: @escaping @Sendable (CookProgress) -> Void) async throws -> String {
        let store = dependencies.collections, makeImage = dependencies.makeImage
        if piece.state == .generating, let job = piece.job, let recorded = try? await makeImage.job(job) {
            return try await follow(&piece, job: recorded, owner: owner)
        }
        let expected = piece.state
        piece.state = .generating
        piece.job = GenerationJob.newID()
        piece.failure = nil
        piece.updatedAt = dependencies.clock.now()
        guard try await store.update(piece, expecting: [expected]) else {
            throw WorkflowError(.cancelled, "piece \(piece.number) changed meanwhile")
        }
        var settings = series.settings
        settings["seed"] = .int(piece.seed)
        settings["batch"] = .int(1)
        let request = MakeImage.Request(user: owner, prompt: piece.prompt, template: series.template, settings: settings,
                                        inputs: series.inputs, format: .png, job: piece.job!)
        let number = piece.number
        do {
            let result = try await makeImage.run(request) { onProgress(.generation(number: number, $0)) }
            guard let image = result.images.first else { throw WorkflowError(.generationFailed, "the job made no image") }
            return try await complete(&piece, media: image.media.id)
        } catch {
            let failure = WorkflowError(error)
            let recorded = try? await makeImage.job(request.job)
            // Nothing recorded (refused before the hold) or cancelled: the number is drawn again later.
            let redo = recorded == nil || failure.code == .cancelled
            piece.state = redo ? .planned : .failed
            piece.job = redo ? nil : piece.job
            piece.failure = redo ? nil : .init(code: failure.code.rawValue, message: failure.message)
            piece.updatedAt = dependencies.clock.now()
            _ = try? await store.update(piece, expecting: [.generating])
            throw failure
        }
    }

    /// Waits for a job recorded before a restart to end, then completes or fails the piece as it
    /// ended. Whoever resumes open jobs ends each by its deadline; one still open well past it was
    /// not resumed, and the piece is made again (the job is left to the next resume).
    private func follow(_ piece: inout CollectionPiece, job: GenerationJob, owner: UserID) async throws -> String {
        var job = job
        var failure: WorkflowError?
        while job.state.isOpen {
            guard dependencies.clock.now() < job.deadline.addingTimeInterval(300) else {
                failure = WorkflowError(.generationTimeout, "job \(job.id) is still open past its deadline; nothing resumed it")
                break
            }
            try await Task.sleep(for: dependencies.jobPollInterval)
            job = try await dependencies.makeImage.job(job.id)
        }
        if failure == nil, job.state == .completed, let media = job.media.first {
            return try await complete(&piece, media: media)
        }
        let ended = failure ?? WorkflowError(WorkflowError.Code(passing: job.failure?.code ?? "generation_failed"),
                                             job.failure?.message ?? "job \(job.id) ended \(job.state.rawValue)")
        piece.state = ended.code == .cancelled ? .planned : .failed
        piece.job = piece.state == .planned ? nil : piece.job
        piece.failure = piece.state == .failed ? .init(code: ended.code.rawValue, message: ended.message) : nil
        piece.updatedAt = dependencies.clock.now()
        _ = try? await dependencies.collections.update(piece, expecting: [.generating])
        throw ended
    }

    private func complete(_ piece: inout CollectionPiece, media: String) async throws -> String {
        piece.state = .made
        piece.media = media
        piece.updatedAt = dependencies.clock.now()
        _ = try await dependencies.collections.update(piece, expecting: [.generating])
        _ = try await dependencies.collections.add([(media, .image)], to: piece.collection, at: dependencies.clock.now())
        return media
    }

    private func finish(_ collection: inout MediaCollection, _ cook: MediaCollection.Cook,
                        _ onProgress: @Sendable (CookProgress) -> Void) async throws -> MediaCollection {
        // Read afresh, so that a rename made while the cook ran is kept.
        var fresh = try await dependencies.collections.collection(id: collection.id) ?? collection
        if fresh.cook.state == .cooking {
            fresh.cook = cook
            fresh.updatedAt = dependencies.clock.now()
            if !(try await dependencies.collections.update(fresh, expecting: [.cooking])) {
                fresh = try await dependencies.collections.collection(id: collection.id) ?? fresh
            }
        }
        collection = fresh
        onProgress(.ended(collection.cook))
        return collection
    }
}
