import ComfyUI
import ComfyUIModel
import Foundation
import Testing
import TestSupport
import ComfyUITestSupport
import Vips

/// The one run path (``ComfyUIRunner``) and the waiting it does, on an injected clock: deadlines,
/// a prompt deleted before it ran, polling that backs off, `/object_info` kept per server.
@Suite struct RunPathTests {
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
        await clock.advance(by: .milliseconds(500), until: { finished.isSet }, limit: .seconds(60))
        do { _ = try await run.value; Issue.record("a deleted prompt finished") }
        catch { #expect(ComfyUIError.Code.removedFromQueue ~= error, "\(error)") }
        #expect(clock.now < .seconds(10))
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
        await clock.advance(by: .seconds(1), until: { finished.isSet }, limit: .seconds(120))
        for run in [followed, polled] {
            do { _ = try await run.value; Issue.record("a stalled run finished") }
            catch { #expect(ComfyUIError.Code.timedOut ~= error, "\(error)") }
        }
        #expect(clock.now >= .seconds(60) && clock.now < .seconds(120), "\(clock.now)")
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
