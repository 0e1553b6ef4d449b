public import ComfyUIModel
import Foundation
import Media
public import Studio
import Vips

extension TrainModel {
    /// The node class and input that list the LoRAs prompts can use.
    static let loraListClass = "LoraLoader", loraListInput = "lora_name"

    /// Trains approved dataset `id` (of `owner`, when given) on ComfyUI and returns it completed.
    ///
    /// The prepared images and one caption file per image (the trigger word first when the
    /// caption lacks it) are uploaded into input subfolder `darkroom-<id>` of one server, and
    /// the `lora_train` template runs with the operator's values; its LoRA is saved under a
    /// prefix unique to this run. The run is recorded before it is waited for, so a restarted
    /// process picks it up (``resumeOpenTraining()``). On success the LoRA file is fetched,
    /// checked to be a safetensors file, stored as the owner's model media, looked up in the
    /// server's `LoraLoader` list (``TrainingDataset/loraName``), and the hold is settled at the
    /// price. A failure of the run (or a cancel) ends the dataset `failed` and releases the hold.
    ///
    /// Nothing is reserved before the run is submitted: when no server answers, or one lacks a
    /// training node or the checkpoint (`comfyui_unavailable`, `template_unavailable`), the
    /// dataset stays approved with its hold, to be started again.
    public func train(_ id: String, owner: UserID? = nil,
                      onEvent: @escaping @Sendable (RunEvent) -> Void = { _ in }) async throws -> TrainingDataset {
        // Followed under a lease, so that a process that dies mid-run leaves it to another instance.
        let trained = try await withWorkflowErrors {
            try await dependencies.leases.following("training:\(id)", clock: dependencies.clock) {
                try await trainFollowed(id, owner: owner, onEvent: onEvent)
            }
        }
        guard let trained else { throw WorkflowError(StudioError(.datasetStateConflict, "dataset \(id) is being trained by another instance")) }
        return trained
    }

    private func trainFollowed(_ id: String, owner: UserID?, onEvent: @escaping @Sendable (RunEvent) -> Void) async throws -> TrainingDataset {
        let deps = dependencies
        var dataset = try await withWorkflowErrors {
            let dataset = if let owner { try await self.dataset(id, owner: owner) } else { try await stored(id) }
            guard dataset.state == .approved else {
                throw StudioError(.datasetStateConflict, "dataset \(id) is \(dataset.state.rawValue); only an approved dataset can start training")
            }
            return dataset
        }
        let entry = try await withWorkflowErrors { try await trainingEntry() }
        let folder = "darkroom-\(id)", attempt = UUID().uuidString.lowercased().prefix(8)
        var values = deps.trainingValues
        values["images"] = .string(folder)
        values["lora_prefix"] = .string("loras/darkroom-\(id)-\(attempt)")
        let files = try await withWorkflowErrors { try await trainingFiles(of: dataset) }
        try await withWorkflowErrors { try await deps.trainer.check(entry.template, values: values) }

        let now = deps.clock.now()
        dataset.state = .training
        dataset.failure = nil
        dataset.run = TrainingRun(template: entry.name, folder: folder, prefix: values["lora_prefix"]?.string ?? "", values: values,
                                  deadline: now.addingTimeInterval(Self.seconds(deps.trainingDeadline)), startedAt: now)
        dataset = try await withWorkflowErrors { try await save(dataset, expecting: [.approved]) }
        let inProgress: any GenerationInProgress
        do {
            inProgress = try await deps.trainer.submit(entry.template, values: values, folders: ["images": UploadFolder(name: folder, files: files)],
                                                       deadline: deps.trainingDeadline, onEvent: onEvent)
        } catch {
            // Nothing runs: back to approved, the hold kept, to be started again.
            var back = dataset
            back.state = .approved
            back.run = nil
            _ = try? await save(back, expecting: [.training])
            throw WorkflowError(error)
        }
        dataset.run?.ticket = inProgress.ticket
        do {
            guard let recorded = try? await save(dataset, expecting: [.training]) else {
                try? await deps.trainer.cancel(inProgress.ticket)
                throw WorkflowError(.cancelled, "the training of dataset \(id) was cancelled")
            }
            let result = try await inProgress.finish()
            return try await complete(recorded, runSeconds: result.runSeconds)
        } catch {
            throw await fail(dataset, error)
        }
    }

    /// Picks up every dataset left training by a process that stopped: one whose run was never
    /// submitted fails (its hold released); one submitted is watched through the server's
    /// history to its end and completed or failed; one past its deadline is interrupted and
    /// fails. Runs another live instance follows are left to it; those of an instance that died
    /// are picked up once its lease has ended. Returns the datasets as they ended.
    public func resumeOpenTraining() async throws -> [TrainingDataset] {
        var ended: [TrainingDataset] = []
        let deps = dependencies
        for dataset in try await withWorkflowErrors({ try await deps.datasets.datasets(in: [.training]) }) {
            // A run another live instance follows is left to it.
            let resumed = try? await deps.leases.following("training:\(dataset.id)", clock: deps.clock) { () async -> TrainingDataset? in
                // Read again under the lease: the run may have ended since the list was made.
                guard let current = try? await deps.datasets.dataset(id: dataset.id), current.state == .training else { return nil }
                return await resume(current)
            }
            if let dataset = resumed.flatMap({ $0 }) { ended.append(dataset) }
        }
        return ended
    }

    /// Withdraws a dataset that waits for review, waits for training or trains (interrupting its
    /// run): it ends `failed` with code `cancelled`, and its hold is released.
    public func cancelTraining(_ id: String, owner: UserID) async throws -> TrainingDataset {
        try await withWorkflowErrors {
            var dataset = try await dataset(id, owner: owner)
            let from = dataset.state
            guard TrainingDataset.State.open.contains(from) else {
                throw StudioError(.datasetStateConflict, "dataset \(id) is \(from.rawValue); only a submitted, approved or training dataset can be cancelled")
            }
            dataset.state = .failed
            dataset.failure = JobFailure(code: WorkflowError.Code.cancelled.rawValue, message: "cancelled by \(owner)")
            let saved = try await save(dataset, expecting: [from])
            if let ticket = dataset.run?.ticket { try? await dependencies.trainer.cancel(ticket) }
            if let key = dataset.holdKey { await release(key) }
            return saved
        }
    }

    // MARK: Steps

    private func resume(_ dataset: TrainingDataset) async -> TrainingDataset {
        let deps = dependencies
        do {
            guard let run = dataset.run, let ticket = run.ticket else {
                throw WorkflowError(.generationFailed, "the process stopped before the training of dataset \(dataset.id) was submitted")
            }
            let remaining = run.deadline.timeIntervalSince(deps.clock.now())
            guard remaining > 0 else {
                try? await deps.trainer.cancel(ticket)
                throw WorkflowError(.generationTimeout, "the training of dataset \(dataset.id) passed its deadline while the process was stopped")
            }
            let result = try await deps.trainer.resume(ticket, deadline: .milliseconds(Int64(remaining * 1_000)))
            return try await complete(dataset, runSeconds: result.runSeconds)
        } catch {
            _ = await fail(dataset, error)
            return (try? await deps.datasets.dataset(id: dataset.id)) ?? dataset
        }
    }

    /// Fetches, checks and stores the saved LoRA, then claims the dataset (from `training`): only
    /// the claimer settles. A finisher that loses the claim removes what it stored.
    private func complete(_ dataset: TrainingDataset, runSeconds: Double) async throws -> TrainingDataset {
        let deps = dependencies
        guard let run = dataset.run, let ticket = run.ticket else {
            throw WorkflowError(.internalError, "dataset \(dataset.id) finished training without a recorded run")
        }
        let (file, data) = try await savedLoRA(of: run, on: ticket.server)
        let record = try await withWorkflowErrors {
            try await deps.media.addFile(data, owner: dataset.owner, kind: .model, format: "safetensors", source: "training:\(dataset.id)")
        }
        do {
            let listed = try? await deps.trainer.currentChoices(classType: Self.loraListClass, input: Self.loraListInput, on: ticket.server)
            let name = listed?.first { $0 == file || $0.hasSuffix("/" + file) }
            var finished = dataset
            finished.state = .completed
            finished.model = record.id
            finished.loraName = name
            finished.run?.runSeconds = runSeconds
            finished.run?.note = name == nil
                ? "the server at \(ticket.server.absoluteString) does not list \(file) for \(Self.loraListClass): add its output/loras folder to its LoRA folders (extra_model_paths.yaml) so prompts can use it"
                : nil
            finished.updatedAt = deps.clock.now()
            guard try await deps.datasets.update(finished, expecting: [.training]) else {
                throw WorkflowError(.cancelled, "the training of dataset \(dataset.id) ended elsewhere (cancelled or finished) before it was completed here")
            }
            if let key = dataset.holdKey { _ = try await deps.points.settle(job: key, cost: dataset.price ?? 0) }
            return finished
        } catch {
            try? await deps.media.delete(record.id, owner: dataset.owner)
            throw error
        }
    }

    /// The LoRA file a run saved: SaveLoRANode names it `<prefix>_00001_.safetensors` (the prefix
    /// is new, so its counter starts at 1), or with `_<steps>_steps` before the counter when its
    /// steps input is linked.
    private func savedLoRA(of run: TrainingRun, on server: URL) async throws -> (name: String, data: Data) {
        let parts = run.prefix.split(separator: "/").map(String.init)
        let subfolder = parts.dropLast().joined(separator: "/"), stem = parts.last ?? run.prefix
        var names = ["\(stem)_00001_.safetensors"]
        if let steps = run.values["steps"]?.int64 { names.append("\(stem)_\(steps)_steps_00001_.safetensors") }
        for name in names {
            let found = try await withWorkflowErrors {
                try await dependencies.trainer.outputFile(named: name, subfolder: subfolder, on: server,
                                                          maxBytes: dependencies.media.policy.limits.maxInputBytes)
            }
            guard let data = found else { continue }
            if let problem = SafeTensorsCheck.problem(in: data) {
                throw WorkflowError(.generationFailed, "the LoRA the server saved (\(subfolder)/\(name)) is not a safetensors file: \(problem)")
            }
            return (name, data)
        }
        throw WorkflowError(.generationFailed, "the training run ended but the server at \(server.absoluteString) has no LoRA saved as output/\(run.prefix)_…")
    }

    /// Ends a training dataset after `error` (recording why) and releases its hold; returns the
    /// error to throw.
    private func fail(_ dataset: TrainingDataset, _ error: any Error) async -> WorkflowError {
        var failure = WorkflowError(error)
        let deps = dependencies
        var ended = (try? await deps.datasets.dataset(id: dataset.id)) ?? dataset
        if ended.state == .failed, ended.failure?.code == WorkflowError.Code.cancelled.rawValue {
            failure = WorkflowError(.cancelled, ended.failure?.message ?? "the training of dataset \(dataset.id) was cancelled")
        }
        if ended.state == .training {
            ended.state = .failed
            ended.failure = JobFailure(code: failure.code.rawValue, message: failure.message)
            ended.updatedAt = deps.clock.now()
            _ = try? await deps.datasets.update(ended, expecting: [.training])
        }
        // A dataset completed elsewhere is settled; releasing it is refused and changes nothing.
        if let key = dataset.holdKey { await release(key) }
        return failure
    }

    /// The `lora_train` template the operator named, or the catalogue's first.
    private func trainingEntry() async throws -> CatalogueEntry {
        let catalogue = dependencies.catalogue
        if let name = dependencies.trainingTemplate {
            let entry = try await catalogue.entry(named: name)
            guard entry.template.kind == .loraTrain else {
                throw StudioError(.unknownTemplate, "template '\(name)' is a \(entry.template.kind.rawValue) template, not lora_train")
            }
            return entry
        }
        guard let entry = try await catalogue.entries(of: .loraTrain).first else {
            throw StudioError(.unknownTemplate, "the catalogue has no lora_train template (seed it from a templates folder that has one)")
        }
        return entry
    }

    /// `01.png` … with `01.txt` … : the prepared images in slot order, each with its caption.
    private func trainingFiles(of dataset: TrainingDataset) async throws -> [String: Data] {
        let captions = dataset.slots.filter { $0.image != nil }.map { $0.caption ?? "" }
        guard captions.count == dataset.prepared.count, !dataset.prepared.isEmpty else {
            throw StudioError(.datasetStateConflict, "dataset \(dataset.id) has \(dataset.prepared.count) prepared images for \(captions.count) captions")
        }
        var files: [String: Data] = [:]
        for (index, media) in dataset.prepared.enumerated() {
            let name = String(format: "%02d", index + 1)
            files["\(name).png"] = try await dependencies.media.data(media, owner: dataset.owner).data
            files["\(name).txt"] = Data(Self.caption(captions[index], trigger: dataset.triggerWord).utf8)
        }
        return files
    }

    /// The caption as trained: the trigger word first unless the caption has it already.
    static func caption(_ caption: String, trigger: String) -> String {
        caption.lowercased().contains(trigger.lowercased()) ? caption : "\(trigger), \(caption)"
    }

    private func stored(_ id: String) async throws -> TrainingDataset {
        guard let dataset = try await dependencies.datasets.dataset(id: id) else {
            throw StudioError(.datasetNotFound, "there is no training dataset '\(id)'")
        }
        return dataset
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
