import ComfyUI
import ComfyUIModel
import Foundation
import Testing
import TestSupport
import ComfyUITestSupport
import Vips

/// The client's integration scenarios. They run against the ComfyUI test server, or, when
/// `COMFYUI_URL` is set, against that real server (see README, "Testing against a real ComfyUI").
/// Serialized: a real server runs one prompt at a time, and its cache keeps the latest prompt.
@Suite(.onTestThreads, .serialized) struct ServerScenarioTests {
    /// A colour no earlier run on a long-lived server used, so nothing comes from its cache.
    static func freshColour() -> Int { Int.random(in: 0...0xFFFFFF) }

    /// The side of the slow graph's image: large on a real server, small on the test server.
    static func slowSide(_ target: ComfyUITarget) -> Int { target.isRealServer ? 1024 : 32 }

    /// Starts a slow graph of `blurs` blurs on `client`, followed on the WebSocket.
    static func startSlowRun(on client: ComfyUIClient, _ target: ComfyUITarget, blurs: Int,
                             prefix: String = "darkroom-test/slow") -> (run: Task<RunResult, any Error>, events: EventLog) {
        let graph = Graphs.slow(blurs: blurs, side: slowSide(target), colour: freshColour(), prefix: prefix)
        let events = EventLog()
        let run = Task { try await client.runFollowingEvents(graph, deadline: target.runDeadline) { events.append($0) } }
        return (run, events)
    }

    @Test func anImageGraphRunsAndItsPictureComesBack() async throws {
        try await ComfyUITarget.with { target in
            let name = ComfyUITarget.unique("scale")
            let result = try await target.client().runPollingHistory(Graphs.scaled(colour: 0x3366CC, prefix: "darkroom-test/\(name)"), deadline: target.runDeadline)
            let image = try #require(result.images.first)
            #expect(result.images.count == 1 && image.node == "3")
            #expect(image.file == OutputImage(filename: "\(name)_00001_.png", subfolder: "darkroom-test", type: "output"))
            let picture = try Image(data: image.bytes)
            #expect(picture.width == 32 && picture.height == 24 && picture.header.format == .png)
            #expect(try picture.pixel(x: 10, y: 10) == [0x33, 0x66, 0xCC])
            #expect(result.runSeconds >= 0 && result.runSeconds < 60)
        }
    }

    @Test func anUploadedImageIsLoadedByName() async throws {
        try await ComfyUITarget.with { target in
            let client = target.client()
            let filename = ComfyUITarget.unique("darkroom-in") + ".png"
            let png = try TestImages.solid(width: 20, height: 10, [10, 200, 30]).data(format: .png)
            let name = try await client.upload(png, filename: filename)
            #expect(name == filename)
            // The same bytes again keep the name; other bytes under the same name are renamed.
            #expect(try await client.upload(png, filename: filename) == filename)
            let other = try TestImages.solid(width: 20, height: 10, [1, 2, 3]).data(format: .png)
            #expect(try await client.upload(other, filename: filename) == filename.replacingOccurrences(of: ".png", with: " (1).png"))
            let result = try await client.runPollingHistory(Graphs.inverted(name, prefix: "darkroom-test/\(ComfyUITarget.unique("inv"))"), deadline: target.runDeadline)
            #expect(try Image(data: #require(result.images.first).bytes).pixel(x: 5, y: 5) == [245, 54, 225])
        }
    }

    /// Every graph-shaped refusal captured from the real server (the two others, a body that
    /// is not JSON and one without `prompt`, are requests this client cannot make).
    @Test(arguments: [
        "post_prompt_error_bad_link.json", "post_prompt_error_combo_not_in_list.json",
        "post_prompt_error_invalid_input_type.json", "post_prompt_error_link_to_missing_node.json",
        "post_prompt_error_loadimage_missing_file.json", "post_prompt_error_missing_class_type.json",
        "post_prompt_error_missing_input.json", "post_prompt_error_no_outputs.json",
        "post_prompt_error_txt2img_lora_missing_models.json", "post_prompt_error_txt2img_missing_checkpoint.json",
        "post_prompt_error_type_mismatch.json", "post_prompt_error_unknown_class.json",
        "post_prompt_error_value_above_max.json", "post_prompt_error_value_below_min.json",
    ])
    func aRefusedGraphListsEveryNodeErrorAsTheServerGaveIt(sample: String) async throws {
        var graph = try JSONDecoder().decode([String: JSONValue].self, from: ComfyUISamples.data(sample, at: ["request", "body", "prompt"]))
        let answer = try JSONDecoder().decode([String: JSONValue].self, from: ComfyUISamples.data(sample, at: ["response", "body"]))
        let error = answer["error"]?.object ?? [:]
        let details = error["details"]?.string ?? ""
        let message = (error["message"]?.string ?? "") + (details.isEmpty ? "" : ": \(details)")
        // (node, class, input, the server's message) for every node error, by node id.
        let expected = (answer["node_errors"]?.object ?? [:]).sorted { $0.key < $1.key }.flatMap { id, value in
            (value.object?["errors"]?.array ?? []).map { nodeError in
                [id, value.object?["class_type"]?.string ?? "", nodeError.object?["extra_info"]?.object?["input_name"]?.string ?? "",
                 nodeError.object?["message"]?.string ?? ""]
            }
        }
        try await ComfyUITarget.with { target in
            // The images the sample's LoadImage nodes read were on the captured server; upload
            // them here too (but not the one whose absence the sample is about).
            if sample != "post_prompt_error_loadimage_missing_file.json" {
                for (id, node) in graph where node.object?["class_type"] == "LoadImage" {
                    let png = try TestImages.solid(width: 8, height: 8, [200, 100, 50]).data(format: .png)
                    let name = try await target.client().upload(png, filename: ComfyUITarget.unique("darkroom-sample") + ".png")
                    graph[id]?.setInput("image", to: .string(name))
                }
            }
            do {
                let submission = try await target.client().submit(graph, clientID: ClientID.new("test"))
                Issue.record("\(sample): the server accepted prompt \(submission.promptID)")
            } catch let refusal as ComfyUIError {
                #expect(refusal.code == .validationFailed)
                #expect(refusal.message == message)
                let problems = refusal.problems.map { [$0.node, $0.classType ?? "", $0.input ?? "", $0.message] }
                #expect(problems.count == expected.count && zip(problems, expected).allSatisfy { got, want in
                    got[0..<3] == want[0..<3] && got[3].hasPrefix(want[3])
                }, "\(problems) is not \(expected)")
            }
        }
    }

    @Test func aPartlyValidGraphRunsItsGoodBranchAndReportsTheOther() async throws {
        var graph = try JSONDecoder().decode([String: JSONValue].self,
                                             from: ComfyUISamples.data("post_prompt_partial_invalid.json", at: ["request", "body", "prompt"]))
        let name = ComfyUITarget.unique("partial")
        graph["3"]?.setInput("filename_prefix", to: .string("darkroom-test/\(name)"))
        try await ComfyUITarget.with { target in
            let client = target.client()
            let submission = try await client.submit(graph, clientID: ClientID.new("test"))
            #expect(submission.droppedBranches.map(\.node) == ["4"] && submission.droppedBranches.first?.input == "upscale_method")
            let result = try await client.result(of: client.waitForRun(submission.promptID, deadline: target.runDeadline))
            #expect(result.images.map(\.node) == ["3"] && result.images.first?.file.filename == "\(name)_00001_.png")
        }
    }

    @Test func aCorruptUploadFailsAtRunTimeNamingTheNodeAndTheException() async throws {
        try await ComfyUITarget.with { target in
            let client = target.client()
            let name = try await client.upload(Data("not an image".utf8), filename: ComfyUITarget.unique("darkroom-bad") + ".png")
            let events = EventLog()
            do {
                _ = try await client.runFollowingEvents(Graphs.loaded(name, prefix: "darkroom-test/x"), deadline: target.runDeadline) { events.append($0) }
                Issue.record("a corrupt input ran")
            } catch let error as ComfyUIError {
                #expect(error.code == .executionFailed)
                #expect(error.message.hasPrefix("node 10 (LoadImage) failed: PIL.UnidentifiedImageError: cannot identify image file"), "\(error.message)")
                #expect(error.problems.map(\.node) == ["10"])
            }
            #expect(events.all.contains(.started))
        }
    }

    /// A real server caches the last prompt only: no other scenario may run in between.
    @Test func anIdenticalResubmissionIsCachedWithTheSameFiles() async throws {
        try await ComfyUITarget.with(exclusive: true) { target in
            let client = target.client()
            let colour = Self.freshColour()
            let prefix = "darkroom-test/\(ComfyUITarget.unique("cache"))"
            let first = try await client.runPollingHistory(Graphs.scaled(colour: colour, prefix: prefix), deadline: target.runDeadline)
            let again = try await client.runPollingHistory(Graphs.scaled(colour: colour, prefix: prefix), deadline: target.runDeadline)
            let changed = try await client.runPollingHistory(Graphs.scaled(colour: colour ^ 0xFFFFFF, prefix: prefix), deadline: target.runDeadline)
            #expect(!first.cached && again.cached && !changed.cached)
            #expect(again.images.map(\.file) == first.images.map(\.file) && again.images.map(\.bytes) == first.images.map(\.bytes))
            #expect(changed.images.first?.file.filename.hasSuffix("_00002_.png") == true)
        }
    }

    @Test func twoPromptsBackToBackRunOneAfterTheOther() async throws {
        try await ComfyUITarget.with { target in
            let client = target.client()
            let side = Self.slowSide(target)
            let firstGraph = Graphs.slow(blurs: 1, side: side, colour: Self.freshColour(), prefix: "darkroom-test/\(ComfyUITarget.unique("a"))")
            let secondGraph = Graphs.scaled(colour: Self.freshColour(), prefix: "darkroom-test/\(ComfyUITarget.unique("b"))")
            let first = try await client.submit(firstGraph, clientID: ClientID.new("test"))
            let second = try await client.submit(secondGraph, clientID: ClientID.new("test"))
            #expect(first.promptID != second.promptID && second.number > first.number)
            let firstRecord = try await client.waitForRun(first.promptID, deadline: target.runDeadline)
            let secondRecord = try await client.waitForRun(second.promptID, deadline: target.runDeadline)
            #expect(firstRecord.outcome == .success && secondRecord.outcome == .success)
            #expect(try #require(secondRecord.startedAt) >= (try #require(firstRecord.endedAt)))
            let firstImages = try await client.result(of: firstRecord).images
            let secondImages = try await client.result(of: secondRecord).images
            #expect(firstImages.map(\.node) == ["101"] && secondImages.map(\.node) == ["3"])
            #expect(try Image(data: #require(secondImages.first).bytes).width == 32)
        }
    }

    @Test func anInterruptStopsASlowGraphBetweenNodes() async throws {
        try await ComfyUITarget.with { target in
            let client = target.client()
            let (run, events) = Self.startSlowRun(on: client, target, blurs: 8)
            try await events.wait(for: "the second blur") { $0 == .executing(node: "3") }
            let promptID = try #require(events.promptID)
            try await client.interrupt(promptID)
            do {
                _ = try await run.value
                Issue.record("an interrupted run finished")
            } catch let error as ComfyUIError {
                #expect(error.code == .interrupted, "\(error)")
            }
            #expect(!events.all.contains(.executing(node: "101")))
            #expect(try await client.queue().contains(promptID) == false)
            // ComfyUI names the node it stopped before: a blur after the second, or the scale.
            guard case .interrupted(let node?)? = try await client.history(of: promptID)?.outcome else {
                Issue.record("history does not name the node the prompt was interrupted at")
                return
            }
            #expect(["4", "5", "6", "7", "8", "9", "100"].contains(node), "\(node)")
        }
    }

    @Test func cancellingARunInterruptsItAndLeavesNothingQueued() async throws {
        try await ComfyUITarget.with { target in
            let client = target.client()
            let (run, events) = Self.startSlowRun(on: client, target, blurs: 8)
            try await events.wait(for: "the start") { $0 == .started }
            run.cancel()
            await #expect(throws: (any Error).self) { try await run.value }
            let promptID = try #require(events.promptID)
            var queued = try await client.queue().contains(promptID)
            for _ in 0..<600 where queued {
                try await Task.sleep(for: .milliseconds(50))
                queued = try await client.queue().contains(promptID)
            }
            #expect(!queued)
            guard case .interrupted = try await client.history(of: promptID)?.outcome else {
                Issue.record("history does not say interrupted")
                return
            }
        }
    }

    @Test func aDroppedSocketIsReopenedAndHistoryDecidesTheEnd() async throws {
        try await ComfyUITarget.with { target in
            let relay = try await SocketCuttingRelay.start(to: target.url)
            defer { Task { await relay.stop() } }
            let client = ComfyUIClient(baseURL: relay.url, requestTimeout: target.client().requestTimeout)
            let (run, events) = Self.startSlowRun(on: client, target, blurs: 4, prefix: "darkroom-test/\(ComfyUITarget.unique("drop"))")
            try await events.wait(for: "the first blur") { $0 == .executing(node: "2") }
            #expect(relay.cutWebSockets() == 1)
            let result = try await run.value
            let all = events.all
            let drop = try #require(all.firstIndex(of: .socketDropped))
            // Progress goes on over the reopened socket after the drop.
            #expect(all[drop...].contains(.executing(node: "101")), "\(all)")
            #expect(result.images.map(\.node) == ["101"])
        }
    }

    @Test func serverInformationDecodes() async throws {
        try await ComfyUITarget.with { target in
            let client = target.client()
            let info = try await client.objectInfo()
            #expect(info.classes["KSampler"] != nil && info.classes["SaveImage"]?.isOutputNode == true)
            let stats = try await client.systemStats()
            #expect(!stats.system.comfyuiVersion.isEmpty && !stats.devices.isEmpty)
            _ = try await client.queue()
            #expect(try await client.queueRemaining() >= 0)
            if target.testServer != nil {
                // The captured server: its full /object_info and its version.
                #expect(info.classes.count >= 496 && stats.system.comfyuiVersion == "0.3.64" && stats.devices.first?.type == "cpu")
            }
        }
    }
}

/// The scenarios that need a model: they run on the test server (its tiny checkpoint), and on a
/// real server only when `COMFYUI_CHECKPOINT` names a checkpoint it has; otherwise the runner
/// lists them as skipped with the reason.
@Suite(.onTestThreads, .serialized, .enabled("needs a checkpoint: set COMFYUI_CHECKPOINT to one the COMFYUI_URL server has") {
    try await ComfyUITarget.modelScenariosEnabled()
})
struct ModelScenarioTests {
    static func checkpoint(_ target: ComfyUITarget) async throws -> String { try await target.checkpoint().get() }

    @Test func aTextToImageRunIsFollowedStepByStep() async throws {
        try await ComfyUITarget.with { target in
            let name = ComfyUITarget.unique("txt2img")
            let graph = Graphs.textToImage(checkpoint: try await Self.checkpoint(target), side: 64, steps: 4,
                                           seed: Int64.random(in: 0...Int64(UInt32.max)), prefix: "darkroom-test/\(name)")
            let events = EventLog()
            let result = try await target.client().runFollowingEvents(graph, deadline: target.runDeadline) { events.append($0) }
            let steps = events.all.compactMap { event -> Int? in if case .progress("3", let value, 4) = event { value } else { nil } }
            #expect(steps == [1, 2, 3, 4])
            let nodes = events.all.compactMap { event -> String? in if case .executing(let node) = event { node } else { nil } }
            #expect(nodes.contains("3") && nodes.last == "9")
            let picture = try Image(data: #require(result.images.first).bytes)
            #expect(picture.width == 64 && picture.height == 64)
            #expect(result.images.first?.file.filename == "\(name)_00001_.png")
        }
    }

    @Test func aSamplerIsInterruptedBetweenSteps() async throws {
        try await ComfyUITarget.with { target in
            let steps = target.isRealServer ? 100 : 5000
            let graph = Graphs.textToImage(checkpoint: try await Self.checkpoint(target), side: 64, steps: steps,
                                           seed: Int64.random(in: 0...Int64(UInt32.max)), prefix: "darkroom-test/int")
            let events = EventLog()
            let client = target.client()
            let run = Task { try await client.runFollowingEvents(graph, deadline: target.runDeadline) { events.append($0) } }
            try await events.wait(for: "the second sampler step") { if case .progress("3", 2, _) = $0 { true } else { false } }
            try await client.interrupt(try #require(events.promptID))
            await #expect(throws: ComfyUIError.self) { try await run.value }
            let last = events.all.compactMap { event -> Int? in if case .progress("3", let value, _) = event { value } else { nil } }.last ?? 0
            #expect(last < steps)
            #expect(!events.all.contains(.executing(node: "8")))
        }
    }
}

private extension JSONValue {
    /// Sets one input of a node (`{"class_type", "inputs"}`).
    mutating func setInput(_ name: String, to value: JSONValue) {
        guard case .object(var node) = self, case .object(var inputs) = node["inputs"] else { return }
        inputs[name] = value
        node["inputs"] = .object(inputs)
        self = .object(node)
    }
}
