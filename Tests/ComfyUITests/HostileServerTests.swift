import ComfyUI
import ComfyUIModel
import Foundation
import Testing
import TestSupport
import ComfyUITestSupport

/// A ComfyUI server (or another user of it) is not trusted: numbers that trap, progress beyond
/// its bounds, run times that overflow, bodies too large to hold.
@Suite(.onTestThreads) struct HostileServerTests {
    @Test func progressStaysWithinItsBoundsAndAnOverflowingRunTimeCostsNothing() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        await server.setBehaviour(.hostile())
        let log = EventLog()
        let result = try await server.client().runFollowingEvents(try RunFollowingTests().botGraph(steps: 3)) { log.append($0) }
        let progress = log.all.compactMap { event -> (Int, Int)? in if case .progress(_, let value, let max) = event { (value, max) } else { nil } }
        #expect(!progress.isEmpty)
        #expect(progress.allSatisfy { 0 <= $0.0 && $0.0 <= $0.1 }, "\(progress)")
        #expect(result.runSeconds == 0)
        #expect(!result.images.isEmpty && result.images.count % 4 == 0)
    }

    @Test func aQueueNumberOf1e300IsKeptAsANumber() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        await server.setBehaviour(.hostile(stall: true))
        _ = try await server.client().submit(Graphs.scaled(), clientID: ClientID.new("test"))
        let queue = try await server.client().queue()
        #expect(queue.pending.first?.number == 1e300 && queue.pending.first?.isOurs == false)
    }

    @Test func answersLargerThanTheLimitAreRefusedUnread() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        await server.setBehaviour(.oversized)
        let client = server.client()
        for call in [{ _ = try await client.objectInfo() }, { _ = try await client.queue() }, { _ = try await client.history(of: "x") }]
            as [@Sendable () async throws -> Void] {
            do { try await call(); Issue.record("read an oversized answer") }
            catch { #expect(ComfyUIError.Code.responseTooLarge ~= error, "\(error)") }
        }
    }

    @Test func outputImagesAreCappedEachAndTogether() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        var small = server.client()
        small.maxImageBytes = 16
        var few = server.client()
        few.maxRunBytes = 16
        for client in [small, few] {
            do { _ = try await client.runPollingHistory(Graphs.scaled(colour: Int.random(in: 0...0xFFFFFF))); Issue.record("an output beyond the cap was read") }
            catch { #expect(ComfyUIError.Code.responseTooLarge ~= error, "\(error)") }
        }
    }

    @Test func idsAndNamesCannotReachAnotherEndpoint() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let client = server.client()
        #expect(try await client.history(of: "../object_info") == nil)
        #expect(try await client.history(of: "..") == nil)
        let counts = await server.requestCounts()
        #expect(counts["GET /object_info"] == nil, "\(counts)")
        await #expect(throws: ComfyUIError.self) { try await client.models(in: "../object_info") }
        #expect(await server.requestCounts()["GET /object_info"] == nil)
    }
}
