import ComfyUI
import Foundation
import Testing
import TestSupport

/// Following runs on the WebSocket, against the test server.
@Suite struct RunFollowingTests {
    /// Collects events from the client's callbacks.
    final class EventLog: @unchecked Sendable {
        // @unchecked: `events` is only touched under `lock`.
        private let lock = NSLock()
        private var events: [RunEvent] = []
        func append(_ event: RunEvent) { lock.withLock { events.append(event) } }
        var all: [RunEvent] { lock.withLock { events } }
    }

    func botGraph(steps: Int = 4) throws -> [String: JSONValue] {
        var graph = try JSONDecoder().decode([String: JSONValue].self,
                                             from: ComfyUISamples.data("post_prompt_bot_txt2img.json", at: ["request", "body", "prompt"]))
        guard case .object(var sampler) = graph["3"], case .object(var inputs) = sampler["inputs"] else { return graph }
        inputs["steps"] = .integer(Int64(steps))
        sampler["inputs"] = .object(inputs)
        graph["3"] = .object(sampler)
        return graph
    }

    @Test func aRunIsFollowedLiveNodeByNodeAndStepByStep() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let log = EventLog()
        let result = try await server.client().run(try botGraph(steps: 5)) { log.append($0) }
        let events = log.all
        guard case .queued(let id) = events.first else { Issue.record("first event \(String(describing: events.first))"); return }
        #expect(id == result.promptID)
        #expect(events.contains(.started))
        let steps = events.compactMap { event -> Int? in if case .progress("3", let value, 5) = event { value } else { nil } }
        #expect(steps == [1, 2, 3, 4, 5])
        let nodes = events.compactMap { event -> String? in if case .executing(let node) = event { node } else { nil } }
        #expect(nodes.last == "9" && nodes.contains("3") && nodes.firstIndex(of: "3")! < nodes.firstIndex(of: "8")!)
        #expect(!events.contains(.socketDropped))
        #expect(result.images.count == 1 && !result.cached)
    }

    @Test func aDroppedSocketIsReopenedAndHistoryDecidesTheEnd() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        await server.setBehaviour(.dropSocket)
        let log = EventLog()
        let result = try await server.client().run(try botGraph(steps: 3), clientID: "reconnecting") { log.append($0) }
        let events = log.all
        let drop = try #require(events.firstIndex(of: .socketDropped))
        // Progress goes on over the reopened socket after the drop.
        #expect(events[drop...].contains(.executing(node: "9")))
        #expect(await server.connections(of: "reconnecting") == 2)
        #expect(result.images.first?.node == "9")
    }

    @Test func aRunThatNeverEndsIsInterruptedAtItsDeadline() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        await server.setBehaviour(.stall)
        do {
            _ = try await server.client().run(ComfyUIClientTests.imageGraph(), deadline: .milliseconds(400)) { _ in }
            Issue.record("a stalled run finished")
        } catch { #expect(ComfyUIError.Code.timedOut ~= error, "\(error)") }
        #expect(await server.activePrompts().isEmpty)
    }

    @Test func aFailedRunEndsTheFollowAndNamesTheNode() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let client = server.client()
        let name = try await client.upload(Data("nope".utf8), filename: "bad.png")
        let graph: [String: JSONValue] = [
            "1": .object(["class_type": .string("LoadImage"), "inputs": .object(["image": .string(name)])]),
            "2": .object(["class_type": .string("SaveImage"), "inputs": .object(["images": .array([.string("1"), .integer(0)]), "filename_prefix": .string("x")])]),
        ]
        do { _ = try await client.run(graph) { _ in }; Issue.record("ran a corrupt image") }
        catch { #expect(ComfyUIError.Code.executionFailed ~= error) }
    }
}

@Suite struct ServerChecksTests {
    @Test func aTemplateIsCheckedAgainstTheServerBeforeQueueing() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let client = server.client()
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("templates/text2img.json")
        let template = try JSONDecoder().decode(WorkflowTemplate.self, from: Data(contentsOf: file))
        // The template's default checkpoint and LoRA are not installed on this server.
        let filled = try template.filled(with: ["prompt": .string("a lighthouse")])
        do {
            try await client.check(filled.graph)
            Issue.record("an uninstalled checkpoint passed")
        } catch let error as ComfyUIError {
            #expect(error.code == .graphRejected)
            #expect(error.problems.map { "\($0.node) \($0.input ?? "")" } == ["4 ckpt_name", "10 lora_name"])
            #expect(error.problems.first?.description.contains("not available on this server (choose one of tiny-random-sd15.safetensors)") == true)
        }
        #expect(await server.activePrompts().isEmpty)
        let installed = try await client.models(in: "checkpoints")
        let fixed = try template.filled(with: ["prompt": .string("a lighthouse"), "checkpoint": .string(installed[0]),
                                               "lora": .string(try await client.models(in: "loras")[0]),
                                               "width": .integer(128), "height": .integer(128), "steps": .integer(2)])
        try await client.check(fixed.graph)
        do { _ = try await client.models(in: "nosuchfolder"); Issue.record("found a missing folder") }
        catch { #expect(ComfyUIError.Code.invalidInput ~= error) }
    }

    @Test func cancellingARunInterruptsItOnTheServer() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        // A chain of slow blurs: long enough to cancel in the middle.
        var graph = ComfyUIClientTests.imageGraph()
        for index in 4...9 {
            graph["\(index)"] = .object(["class_type": .string("ImageBlur"), "inputs": .object([
                "image": .array([.string(index == 4 ? "2" : "\(index - 1)"), .integer(0)]), "blur_radius": .integer(3), "sigma": .number(1)])])
        }
        graph["3"] = .object(["class_type": .string("SaveImage"), "inputs": .object([
            "images": .array([.string("9"), .integer(0)]), "filename_prefix": .string("blur")])])
        let client = server.client()
        let started = RunFollowingTests.EventLog()
        let task = Task { try await client.run(graph) { started.append($0) } }
        while !started.all.contains(.started) { try await Task.sleep(for: .milliseconds(20)) }
        task.cancel()
        await #expect(throws: (any Error).self) { try await task.value }
        var active = await server.activePrompts()
        for _ in 0..<100 where !active.isEmpty {
            try await Task.sleep(for: .milliseconds(20))
            active = await server.activePrompts()
        }
        #expect(active.isEmpty)
        guard case .queued(let id) = started.all.first else { Issue.record("no prompt id"); return }
        let record = try await client.history(of: id)
        #expect(record?.outcome == .interrupted(node: nil))
    }
}

@Suite struct PreviewTests {
    @Test(arguments: [true, false])
    func samplerPreviewsArriveInTheNegotiatedLayout(metadata: Bool) async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let log = RunFollowingTests.EventLog()
        let result = try await server.client().run(try RunFollowingTests().botGraph(steps: 3), previewMetadata: metadata) { log.append($0) }
        let jpeg = try ComfyUISamples.binary("bot_prev_frame1.jpg")
        let previews = log.all.compactMap { event -> BinaryFrame? in if case .preview(let frame) = event { frame } else { nil } }
        #expect(previews.count == 3)
        let expected: BinaryFrame = metadata
            ? .previewImageWithMetadata(node: "3", promptID: result.promptID, format: .jpeg, bytes: jpeg)
            : .previewImage(format: .jpeg, bytes: jpeg)
        #expect(previews.allSatisfy { $0 == expected })
    }
}
