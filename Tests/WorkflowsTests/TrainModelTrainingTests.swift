import ComfyUI
import ComfyUIModel
import ComfyUITestSupport
import Foundation
import Media
import Synchronization
import Studio
import StudioSQLite
import StudioTestSupport
import Testing
import TestSupport
import Vips
import Workflows
import WorkflowsTestSupport

/// trainModel's training on ComfyUI, against the test server, which models the training nodes
/// from the captured `/object_info`: it validates the graph, reads the uploaded images and
/// captions, counts the steps and writes a safetensors LoRA.
@Suite(.onTestThreads) struct TrainModelTrainingTests {
    /// Values that keep a training short: a few steps, fp32 (a CPU server has no bf16 autocast).
    static func values(checkpoint: String) -> [String: JSONValue] {
        ["checkpoint": .string(checkpoint), "steps": .integer(3), "rank": .integer(2), "training_dtype": .string("fp32"),
         "lora_dtype": .string("fp32"), "seed": .integer(7)]
    }

    @Test func aCaptionWithoutTheTriggerWordGetsItFirst() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let fixture = try await TrainModelFixture(server: server.url)
        let train = fixture.workflow(reviewRequired: false, values: Self.values(checkpoint: "tiny-random-sd15.safetensors"))
        _ = try await fixture.database.points.addCredits(100_000, to: fixture.user, key: "gift")
        var draft = try await fixture.draft(train, images: 10)
        draft = try await train.setSlot(2, of: draft.id, owner: fixture.user, caption: "a cat on a sofa")
        let trained = try await train.train(try await train.submit(draft.id, owner: fixture.user).id)
        let folder = "input/\(try #require(trained.run?.folder))"
        #expect(String(decoding: server.file("\(folder)/02.txt") ?? Data(), as: UTF8.self) == "mycat, a cat on a sofa")
        #expect(String(decoding: server.file("\(folder)/03.txt") ?? Data(), as: UTF8.self) == "a photo of mycat, pose 3")
    }

    @Test func aFailedRunEndsTheDatasetFailedAndReleasesTheHold() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let fixture = try await TrainModelFixture(server: server.url)
        let train = fixture.workflow(reviewRequired: false, values: Self.values(checkpoint: "tiny-random-sd15.safetensors"))
        let dataset = try await fixture.approved(train)
        await server.setBehaviour(.failExecution)
        #expect(await fixture.code { _ = try await train.train(dataset.id, owner: fixture.user) } == "generation_failed")
        let failed = try await train.dataset(dataset.id, owner: fixture.user)
        #expect(failed.state == .failed && failed.failure?.message.contains("TrainLoraNode") == true && failed.model == nil)
        #expect(try await fixture.database.points.balance(of: fixture.user).held == 0)
        #expect(try await fixture.database.points.ledger(of: fixture.user).map(\.kind).prefix(2) == [.release, .hold])
        #expect(try await fixture.media.list(owner: fixture.user).allSatisfy { $0.kind == .image })
        #expect(await fixture.code { _ = try await train.train(dataset.id, owner: fixture.user) } == "dataset_state_conflict")
    }

    @Test func whatTheServerCannotRunLeavesTheDatasetApprovedWithItsHold() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let fixture = try await TrainModelFixture(server: server.url)
        let lacking = fixture.workflow(reviewRequired: false, values: Self.values(checkpoint: "missing.safetensors"))
        let dataset = try await fixture.approved(lacking)
        do {
            _ = try await lacking.train(dataset.id, owner: fixture.user)
            Issue.record("a training with a checkpoint the server lacks started")
        } catch let error as WorkflowError {
            #expect(error.code == .templateUnavailable && error.problems.contains { $0.contains("missing.safetensors") }, "\(error)")
        }
        var now = try await lacking.dataset(dataset.id, owner: fixture.user)
        #expect(now.state == .approved && now.run == nil)
        #expect(try await fixture.database.points.balance(of: fixture.user).held == dataset.price)
        #expect(await server.activePrompts().isEmpty && server.files(under: "input").isEmpty, "nothing was uploaded or queued")
        // No server answers: the same, and the dataset trains once one does.
        let offline = try await TrainModelFixture(server: URL(string: "http://127.0.0.1:9")!, database: fixture.database, folder: fixture.folder)
            .workflow(reviewRequired: false, values: Self.values(checkpoint: "tiny-random-sd15.safetensors"))
        #expect(await fixture.code { _ = try await offline.train(dataset.id, owner: fixture.user) } == "comfyui_unavailable")
        now = try await lacking.dataset(dataset.id, owner: fixture.user)
        #expect(now.state == .approved)
        let working = fixture.workflow(reviewRequired: false, values: Self.values(checkpoint: "tiny-random-sd15.safetensors"))
        #expect(try await working.train(dataset.id, owner: fixture.user).state == .completed)
        // Only an approved dataset trains; another user's is not found.
        _ = try await fixture.database.points.addCredits(100_000, to: fixture.user, key: "more")
        let waiting = try await fixture.workflow().submit(try await fixture.draft(working, images: 10).id, owner: fixture.user)
        #expect(await fixture.code { _ = try await working.train(waiting.id, owner: fixture.user) } == "dataset_state_conflict")
        #expect(await fixture.code { _ = try await working.train(waiting.id, owner: UserID("web:alice")!) } == "dataset_not_found")
    }

    @Test func aServerThatDoesNotListTheLoRAStillDeliversItAndSaysWhy() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        await server.setListsTrainedLoRAs(false)
        let fixture = try await TrainModelFixture(server: server.url)
        let train = fixture.workflow(reviewRequired: false, values: Self.values(checkpoint: "tiny-random-sd15.safetensors"))
        let trained = try await train.train(try await fixture.approved(train).id)
        #expect(trained.state == .completed && trained.model != nil && trained.loraName == nil)
        #expect(trained.run?.note?.contains("does not list") == true && trained.run?.note?.contains("LoraLoader") == true)
    }

    @Test func cancellingATrainingInterruptsItAndReleasesTheHold() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let fixture = try await TrainModelFixture(server: server.url)
        let train = fixture.workflow(reviewRequired: false, values: Self.values(checkpoint: "tiny-random-sd15.safetensors"))
        let dataset = try await fixture.approved(train)
        await server.setBehaviour(.hold)
        let running = Task { try await train.train(dataset.id, owner: fixture.user) }
        let started = try await waitFor(dataset.id, fixture) { $0.state == .training && $0.run?.ticket != nil }
        #expect(await server.activePrompts() == [started.run?.ticket?.promptID])
        let cancelled = try await train.cancelTraining(dataset.id, owner: fixture.user)
        #expect(cancelled.state == .failed && cancelled.failure?.code == "cancelled")
        #expect(await fixture.code { _ = try await running.value } == "cancelled")
        #expect(await server.activePrompts().isEmpty)
        #expect(try await fixture.database.points.balance(of: fixture.user).held == 0)
        #expect(await fixture.code { _ = try await train.cancelTraining(dataset.id, owner: fixture.user) } == "dataset_state_conflict")
    }

    @Test func aRestartMidTrainingFinishesTheRunExactlyOnce() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let fixture = try await TrainModelFixture(server: server.url)
        let values = Self.values(checkpoint: "tiny-random-sd15.safetensors")
        let dying = fixture.workflow(reviewRequired: false, values: values) { DyingTrainer(base: $0) }
        let dataset = try await fixture.approved(dying)
        // The first process's run never comes back: it is left waiting, as a killed process would be.
        _ = Task { try await dying.train(dataset.id, owner: fixture.user) }
        _ = try await waitFor(dataset.id, fixture) { $0.run?.ticket != nil }
        let restarted = try await TrainModelFixture(server: server.url, database: fixture.database, folder: fixture.folder)
            .workflow(reviewRequired: false, values: values)
        let ended = try await restarted.resumeOpenTraining()
        #expect(ended.map(\.id) == [dataset.id] && ended.first?.state == .completed && ended.first?.model != nil)
        #expect(try await restarted.resumeOpenTraining().isEmpty)
        #expect(try await fixture.database.points.ledger(of: fixture.user).map(\.kind).prefix(2) == [.settle, .hold])
    }

    @Test func aTrainingNeverSubmittedFailsAfterARestartAndReleasesItsHold() async throws {
        let fixture = try await TrainModelFixture()
        let train = fixture.workflow(reviewRequired: false)
        var dataset = try await fixture.approved(train)
        // A process that claimed the dataset, then stopped before the server queued the run.
        dataset.state = .training
        dataset.run = TrainingRun(template: "lora_train", folder: "darkroom-\(dataset.id)", prefix: "loras/x", values: [:],
                                  deadline: Date().addingTimeInterval(600), startedAt: Date())
        #expect(try await fixture.database.database.datasets.update(dataset, expecting: [.approved]))
        let ended = try await train.resumeOpenTraining()
        #expect(ended.first?.state == .failed && ended.first?.failure?.message.contains("before") == true)
        #expect(try await fixture.database.points.balance(of: fixture.user).held == 0)
    }

    /// Polls the dataset until `condition` holds (90 s at most: a training's upload and checks
    /// take a few seconds alone, and far longer when a full run loads a 2-core machine).
    func waitFor(_ id: String, _ fixture: TrainModelFixture, _ condition: (TrainingDataset) -> Bool) async throws -> TrainingDataset {
        let deadline = ContinuousClock.now + .seconds(90)
        while ContinuousClock.now < deadline {
            if let dataset = try await fixture.database.database.datasets.dataset(id: id), condition(dataset) { return dataset }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TimedOut()
    }

    struct TimedOut: Error {}
}

/// Training with a model: on the test server, and on the real server named by `COMFYUI_URL` when
/// `COMFYUI_CHECKPOINT` names a checkpoint it has (a few steps at 64 px); otherwise listed as
/// skipped with the reason.
@Suite(.onTestThreads, .serialized, .enabled("needs a checkpoint: set COMFYUI_CHECKPOINT to one the COMFYUI_URL server has") {
    try await ComfyUITarget.modelScenariosEnabled()
})
struct TrainingScenarioTests {
    @Test func anApprovedDatasetTrainsOnTheServerAndItsLoRAIsStoredCheckedAndPaidFor() async throws {
        try await ComfyUITarget.with { target in
            let checkpoint = try await target.checkpoint().get()
            let fixture = try await TrainModelFixture(server: target.url)
            let train = fixture.workflow(reviewRequired: false, values: TrainModelTrainingTests.values(checkpoint: checkpoint), deadline: target.runDeadline)
            var dataset = try await fixture.approved(train)
            dataset = try await train.dataset(dataset.id, owner: fixture.user)
            let events = TrainingEvents()
            let trained = try await train.train(dataset.id, owner: fixture.user) { events.append($0) }

            #expect(trained.state == .completed && trained.failure == nil)
            let run = try #require(trained.run)
            #expect(run.folder == "darkroom-\(dataset.id)" && run.prefix.hasPrefix("loras/darkroom-\(dataset.id)-"))
            #expect(run.ticket?.server == target.url && run.runSeconds != nil)
            #expect(events.uploads == 20, "ten images and ten captions went up")
            #expect(events.lastProgress?.max == 3 && events.lastProgress?.value == 3, "\(String(describing: events.lastProgress))")
            // The LoRA is the owner's model media, a safetensors file, the very bytes the server saved.
            let model = try await fixture.media.data(try #require(trained.model), owner: fixture.user)
            #expect(model.record.kind == .model && model.record.format == "safetensors" && model.record.source == "training:\(dataset.id)")
            let length = model.data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
            let header = try JSONSerialization.jsonObject(with: model.data.dropFirst(8).prefix(length)) as? [String: Any]
            #expect(header?.keys.contains { $0.contains("lora") } == true)
            // The price held at submission is what was spent, once.
            #expect(try await fixture.database.points.balance(of: fixture.user).held == 0)
            let ledger = try await fixture.database.points.ledger(of: fixture.user)
            #expect(ledger.map(\.kind).prefix(2) == [.settle, .hold] && ledger.first?.amount == dataset.price && dataset.price != nil)
            if let server = target.testServer {
                let name = try #require(trained.loraName)
                #expect(server.file("output/loras/\(name)") == model.data)
                #expect(server.files(under: "input/\(run.folder)").count == 20)
                #expect(String(decoding: server.file("input/\(run.folder)/01.txt") ?? Data(), as: UTF8.self) == "a photo of mycat, pose 1")
            }
            if let name = trained.loraName {
                // makeImage's LoRA input accepts it: the text2img graph with it fits the server.
                let text2img = try await fixture.catalogue.entry(named: "text2img").template
                try await fixture.runner.check(text2img, values: ["lora": .string(name), "checkpoint": .string(checkpoint), "prompt": "mycat"])
            } else {
                #expect(run.note?.contains("extra_model_paths.yaml") == true, "a LoRA the server does not list says why")
            }
        }
    }
}

/// The uploads and the last step a training reported.
final class TrainingEvents: Sendable {
    private let state = Mutex<(uploads: Int, progress: (value: Int, max: Int)?)>((0, nil))

    func append(_ event: RunEvent) {
        state.withLock { value in
            switch event {
            case .uploaded: value.uploads += 1
            case .progress(_, let step, let max): value.progress = (step, max)
            default: break
            }
        }
    }

    var uploads: Int { state.withLock { $0.uploads } }
    var lastProgress: (value: Int, max: Int)? { state.withLock { $0.progress } }
}

/// A trainer whose process "dies" right after submitting: the run is queued and recorded, and
/// then nothing more happens here.
struct DyingTrainer: ModelTraining, ForwardingGenerator {
    let base: ComfyUIRunner
    var generator: any ImageGenerating { base }

    func submit(_ template: WorkflowTemplate, values: [String: JSONValue], folders: [String: UploadFolder], deadline: Duration,
                onEvent: @escaping @Sendable (RunEvent) -> Void) async throws -> any GenerationInProgress {
        DyingGenerator.Dead(ticket: try await base.submit(template, values: values, folders: folders, deadline: deadline, onEvent: onEvent).ticket)
    }

    func outputFile(named name: String, subfolder: String, on server: URL, maxBytes: Int) async throws -> Data? {
        try await base.outputFile(named: name, subfolder: subfolder, on: server, maxBytes: maxBytes)
    }

    func currentChoices(classType: String, input: String, on server: URL) async throws -> [String]? {
        try await base.currentChoices(classType: classType, input: input, on: server)
    }
}
