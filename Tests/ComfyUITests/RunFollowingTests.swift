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

    @Test func aDroppedSocketFallsBackToPollingHistory() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        await server.setBehaviour(.dropSocket)
        let log = EventLog()
        let result = try await server.client().run(ComfyUIClientTests.imageGraph()) { log.append($0) }
        #expect(log.all.contains(.socketDropped))
        #expect(result.images.first?.file.filename == "w1_00001_.png")
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
