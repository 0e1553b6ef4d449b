import ComfyUI
import ComfyUIModel
import Foundation
import Testing
import TestSupport
import ComfyUITestSupport
import Vips

/// The one run path (``ComfyUIRunner``) and the waiting it does, on an injected clock: deadlines,
/// a prompt deleted before it ran, polling that backs off, `/object_info` kept per server.
@Suite(.onTestThreads, .timeLimit(.minutes(5))) struct RunPathTests {
    /// A template over LoadImage → ImageInvert → SaveImage with a text input it ignores.
    static let invert = WorkflowTemplate(
        name: "invert", kind: .img2img,
        graph: ["1": ["class_type": "LoadImage", "inputs": ["image": "none.png"]],
                "2": ["class_type": "ImageInvert", "inputs": ["image": ["1", 0]]],
                "3": ["class_type": "SaveImage", "inputs": ["images": ["2", 0], "filename_prefix": "run/inv"]]],
        inputs: ["image": TemplateInput(node: "1", input: "image", type: .image, required: true),
                 "prefix": TemplateInput(node: "3", input: "filename_prefix", type: .string, defaultValue: "run/inv")],
        outputs: ["3"])

    @Test func aTemplateRunUploadsFillsChecksSubmitsFollowsAndFetches() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let runner = ComfyUIRunner(pool: ComfyUIPool(servers: [server.url]))
        let png = try TestImages.solid(width: 8, height: 4, [10, 200, 30]).data(format: .png)
        let log = EventLog()
        let prefix = try Self.invert.inputs["prefix"]!.value(parsing: "42", named: "prefix")
        // When: twice, so that the second run uses the kept /object_info
        for round in 1...2 {
            let request = RunRequest(.template(Self.invert, values: ["prefix": prefix]),
                                     uploads: ["image": .init(data: png, filename: "in-\(round).png")])
            let outcome = try await runner.run(request) { log.append($0) }
            // Then
            #expect(outcome.ticket.server == server.url && outcome.values["image"] == .string("in-\(round).png"))
            #expect(outcome.values["prefix"] == .string("42"))
            let image = try #require(outcome.result.images.first)
            #expect(image.file.filename.hasPrefix("42_") && image.node == "3")
            #expect(try Image(data: image.bytes).pixel(x: 1, y: 1) == [245, 54, 225])
        }
        #expect(log.all.contains(.serverChosen(server.url)) && log.all.contains(.uploaded(input: "image", name: "in-1.png")))
        let counts = await server.requestCounts()
        #expect(counts["GET /object_info"] == 1, "\(counts)")
    }

    @Test func aGraphTheKeptObjectInfoRefusesIsCheckedAgainOnceBeforeItIsRefused() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let runner = ComfyUIRunner(pool: ComfyUIPool(servers: [server.url]))
        var graph = Graphs.scaled()
        graph["1"] = ["class_type": "NoSuchNode", "inputs": [:]]
        await #expect(throws: ComfyUIError.self) { try await runner.prepare(RunRequest(.graph(graph))) }
        #expect(await server.requests("GET /object_info") == 2)
        // The second attempt starts from the fresh copy the first one fetched.
        await #expect(throws: ComfyUIError.self) { try await runner.run(RunRequest(.graph(graph))) }
        #expect(await server.requests("GET /object_info") == 3)
        #expect(await server.activePrompts().isEmpty)
    }

    @Test func aPromptDeletedBeforeItRanEndsAsRemovedNotAtTheDeadline() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        await server.setBehaviour(.stall)
        let clock = ManualMonotonicClock()
        let client = ComfyUIClient(baseURL: server.url, clock: clock)
        let log = EventLog()
        let run = Task { try await client.runFollowingEvents(Graphs.scaled(), deadline: .seconds(600)) { log.append($0) } }
        try await log.wait(for: "queued", timeout: .seconds(30)) { if case .queued = $0 { true } else { false } }
        try await client.deletePending([try #require(log.promptID)])
        let finished = FinishedFlag()
        Task { _ = await run.result; finished.set() }
        // A step of the clock every 50 ms of real time: the removal is seen at the next poll, which
        // goes over the network (slow on a loaded machine); the deadline is 600 s away.
        await clock.advance(by: .milliseconds(500), until: { finished.isSet }, limit: .seconds(900), pace: .milliseconds(50))
        do { _ = try await run.value; Issue.record("a deleted prompt finished") }
        catch { #expect(ComfyUIError.Code.removedFromQueue ~= error, "\(error)") }
        #expect(clock.now < .seconds(300), "ended long before the deadline: \(clock.now)")
    }

    @Test func aRunThatNeverStartsIsInterruptedAtItsDeadlineOnTheInjectedClock() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        await server.setBehaviour(.stall)
        let clock = ManualMonotonicClock()
        let client = ComfyUIClient(baseURL: server.url, clock: clock)
        let followed = Task { try await client.runFollowingEvents(Graphs.scaled(), deadline: .seconds(60)) { _ in } }
        let polled = Task { try await client.runPollingHistory(Graphs.scaled(colour: 1), deadline: .seconds(60)) }
        let finished = FinishedFlag()
        Task { _ = await followed.result; _ = await polled.result; finished.set() }
        // Quickly up to the deadline, then slowly: the interruption goes over the network in real
        // time (slow on a loaded machine), and a wait begun meanwhile still needs the clock to move.
        await clock.advance(by: .seconds(1), until: { finished.isSet || clock.now >= .seconds(60) }, limit: .seconds(120))
        await clock.advance(by: .seconds(1), until: { finished.isSet }, limit: .seconds(600), pace: .milliseconds(200))
        for run in [followed, polled] {
            do { _ = try await run.value; Issue.record("a stalled run finished") }
            catch { #expect(ComfyUIError.Code.timedOut ~= error, "\(error)") }
        }
        #expect(clock.now >= .seconds(60) && clock.now < .seconds(180), "\(clock.now)")
        #expect(await server.activePrompts().isEmpty)
    }

    @Test func waitingPollsHistoryQuicklyAtFirstThenOnceASecond() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        await server.setBehaviour(.stall)
        let clock = ManualMonotonicClock()
        let client = ComfyUIClient(baseURL: server.url, clock: clock)
        let submission = try await client.submit(Graphs.scaled(), clientID: ClientID.new("test"))
        let waiting = Task { try await client.waitForRun(submission.promptID, deadline: .seconds(10)) }
        let finished = FinishedFlag()
        Task { _ = await waiting.result; finished.set() }
        await clock.advance(by: .milliseconds(10), until: { finished.isSet }, limit: .seconds(30))
        // 10, 20, 40 … 640 ms, then every second: about 17 polls in 10 s, not 400.
        let polls = await server.requests(startingWith: "GET /history/")
        #expect(polls > 10 && polls < 25, "\(polls) polls")
        await #expect(throws: ComfyUIError.self) { try await waiting.value }
    }
}

/// Set once, read from anywhere.
final class FinishedFlag: @unchecked Sendable {
    // @unchecked: `value` is only touched under `lock`.
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// Folder uploads and the training nodes of the test server, read as ComfyUI reads them.
@Suite(.onTestThreads) struct FolderRunTests {
    /// LoadImageTextSetFromFolderNode → VAEEncode → TrainLoraNode → SaveLoRANode (steps linked).
    static func training(resize: String) -> WorkflowTemplate {
        WorkflowTemplate(
            name: "train", kind: .loraTrain,
            graph: ["1": ["class_type": "CheckpointLoaderSimple", "inputs": ["ckpt_name": "tiny-random-sd15.safetensors"]],
                    "2": ["class_type": "LoadImageTextSetFromFolderNode", "inputs": ["folder": "x", "clip": ["1", 1], "resize_method": .string(resize),
                                                                                  "width": -1, "height": -1]],
                    "3": ["class_type": "VAEEncode", "inputs": ["pixels": ["2", 0], "vae": ["1", 2]]],
                    "4": ["class_type": "TrainLoraNode", "inputs": [
                        "model": ["1", 0], "latents": ["3", 0], "positive": ["2", 1], "batch_size": 1, "grad_accumulation_steps": 1,
                        "steps": 3, "learning_rate": 0.0005, "rank": 2, "optimizer": "AdamW", "loss_function": "MSE", "seed": 1,
                        "training_dtype": "fp32", "lora_dtype": "fp32", "algorithm": "LoRA", "gradient_checkpointing": true,
                        "existing_lora": "[None]"]],
                    "5": ["class_type": "SaveLoRANode", "inputs": ["lora": ["4", 1], "prefix": "loras/x", "steps": ["4", 3]]]],
            inputs: ["images": TemplateInput(node: "2", input: "folder", type: .folder, required: true),
                     "lora_prefix": TemplateInput(node: "5", input: "prefix", type: .string, required: true)],
            outputs: ["5"])
    }

    @Test func aFolderGoesUpWholeAndTheTrainingNodesReadItAsComfyUIDoes() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let runner = ComfyUIRunner(pool: ComfyUIPool(servers: [server.url]))
        let small = try TestImages.solid(width: 16, height: 16, [200, 10, 10]).data(format: .png)
        let wide = try TestImages.solid(width: 24, height: 16, [10, 10, 200]).data(format: .png)
        let folder = RunRequest.Folder(name: "set-a", files: [.init(data: small, filename: "01.png"), .init(data: Data("one".utf8), filename: "01.txt"),
                                                               .init(data: wide, filename: "02.png"), .init(data: Data("two".utf8), filename: "02.txt")])
        // Images of two sizes with no resize method: refused by the loader, as ComfyUI refuses them.
        let mixed = RunRequest(.template(Self.training(resize: "None"), values: ["lora_prefix": "loras/mixed"]), folders: ["images": folder])
        do {
            _ = try await runner.run(mixed)
            Issue.record("a training set of mixed sizes trained")
        } catch let error as ComfyUIError {
            #expect(error.code == .executionFailed && error.message.contains("does not match the first image"), "\(error)")
        }
        #expect(server.files(under: "input/set-a") == ["01.png", "01.txt", "02.png", "02.txt"])
        // Stretched to one size, it trains; SaveLoRANode names the file after the linked steps.
        let stretched = RunRequest(.template(Self.training(resize: "Stretch"), values: ["lora_prefix": "loras/fine"]), folders: ["images": folder])
        _ = try await runner.run(stretched)
        #expect(server.files(under: "output/loras") == ["fine_3_steps_00001_.safetensors"])
        #expect(try await server.client().models(in: "loras").contains("fine_3_steps_00001_.safetensors"))
        // A folder name that would climb out of the input folder is refused before anything is sent.
        let climbing = RunRequest(.template(Self.training(resize: "None"), values: ["lora_prefix": "loras/x"]),
                                  folders: ["images": .init(name: "..", files: [.init(data: small, filename: "01.png")])])
        await #expect(throws: ComfyUIError.self) { _ = try await runner.run(climbing) }
    }
}
