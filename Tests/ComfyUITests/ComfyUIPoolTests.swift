import ComfyUI
import ComfyUIModel
import Foundation
import Testing
import TestSupport
import ComfyUITestSupport

@Suite(.onTestThreads) struct ComfyUIPoolTests {
    static let closedPort = URL(string: "http://127.0.0.1:9")!

    @Test func jobsGoToTheServerWithTheShortestQueue() async throws {
        let a = try await ComfyUITestServer.start(), b = try await ComfyUITestServer.start()
        defer { Task { await a.stop(); await b.stop() } }
        await a.setBehaviour(.stall)
        await b.setBehaviour(.stall)
        for _ in 0..<2 { _ = try await a.client().submit(Graphs.scaled(), clientID: "x") }
        let pool = ComfyUIPool(servers: [a.url, b.url])
        #expect(try await pool.pick().baseURL == b.url)
        for _ in 0..<3 { _ = try await b.client().submit(Graphs.scaled(), clientID: "x") }
        #expect(try await pool.pick().baseURL == a.url)
        #expect(await pool.status().map(\.queueRemaining) == [2, 3])
    }

    @Test func anUnreachableServerIsTakenOutAndNoServerIsAnError() async throws {
        let a = try await ComfyUITestServer.start()
        defer { Task { await a.stop() } }
        // A closed port is reported at once, so a timeout no loaded machine misses costs nothing.
        let pool = ComfyUIPool(servers: [Self.closedPort, a.url], failureThreshold: 1, requestTimeout: .seconds(60))
        #expect(try await pool.pick().baseURL == a.url)
        #expect(await pool.status().map(\.isHealthy) == [false, true])
        let dead = ComfyUIPool(servers: [Self.closedPort], requestTimeout: .seconds(60))
        do { _ = try await dead.pick(); Issue.record("picked a closed port") }
        catch { #expect(ComfyUIError.Code.serverUnreachable ~= error) }
    }

    @Test func aDownServerIsProbedBackAfterTheInterval() async throws {
        let a = try await ComfyUITestServer.start()
        defer { Task { await a.stop() } }
        let clock = ManualMonotonicClock()
        // A server that answers at once, but uselessly; and a timeout no loaded machine misses.
        let pool = ComfyUIPool(servers: [a.url], failureThreshold: 1, probeInterval: .seconds(30),
                               requestTimeout: .seconds(60), clock: clock)
        await a.setBehaviour(.oversized)
        await #expect(throws: ComfyUIError.self) { try await pool.pick() }
        await a.setBehaviour(.normal)
        clock.advance(by: .seconds(29))
        await #expect(throws: ComfyUIError.self) { try await pool.pick() }  // not probed yet
        clock.advance(by: .seconds(1))
        #expect(try await pool.pick().baseURL == a.url)
        #expect(await pool.status().first?.isHealthy == true)
    }

    @Test func aTicketLetsAnotherProcessResumeTheJob() async throws {
        let a = try await ComfyUITestServer.start()
        defer { Task { await a.stop() } }
        let pool = ComfyUIPool(servers: [Self.closedPort, a.url], failureThreshold: 1, requestTimeout: .seconds(60))
        let ticket = try await pool.submit(Graphs.scaled(prefix: "resume/r"))
        #expect(ticket.server == a.url)
        // A new process with nothing but the stored ticket:
        let stored = try JSONDecoder().decode(JobTicket.self, from: JSONEncoder().encode(ticket))
        let client = ComfyUIClient(baseURL: stored.server)
        let result = try await client.result(of: client.waitForRun(stored.promptID))
        #expect(result.images.first?.file.subfolder == "resume")
    }
}
