import ComfyUITestSupport
import Foundation
import NIOHTTP1
import Server
import Studio
import StudioTestSupport
import Testing
import TestSupport
import Workflows
import WorkflowsTestSupport

/// Two server instances in one test process over one PostgreSQL database (each with its own
/// connection pool), one content folder and one ComfyUI test server, used over HTTP as a load
/// balancer's clients would: a job started on one is followed through the other, and a job whose
/// instance dies is finished by the other exactly once.
@Suite(.onTestThreads) struct MultiInstanceTests {
    let user = "telegram:5472638766"

    /// Two instances' stores over one fresh PostgreSQL schema, on one clock.
    func withTwoInstances(_ body: (StudioStores, StudioStores) async throws -> Void) async throws {
        let engine = try await StoreEngine.postgres.open()
        let clock = ManualClock()
        let other = try await engine.reopen()
        let unused: @Sendable () async throws -> StudioStores = { throw CancellationError() }
        do {
            try await body(StudioStores(engine.storage, clock: clock, reopened: unused), StudioStores(other, clock: clock, reopened: unused))
        } catch {
            await engine.end()
            await other.close()
            await engine.storage.close()
            throw error
        }
        await engine.end()
        await other.close()
        await engine.storage.close()
    }

    @Test func aJobStartedOnOneInstanceIsFollowedThroughTheOther() async throws {
        try await withTwoInstances { first, second in
            let comfyui = try await ComfyUITestServer.start()
            defer { Task { await comfyui.stop() } }
            await comfyui.setBehaviour(.hold)
            let folder = TemporaryDirectory("instances")
            let a = try await APIFixture.start(comfyui: [comfyui.url], stores: first, folder: folder)
            defer { a.stop() }
            let b = try await APIFixture.start(comfyui: [comfyui.url], stores: second, folder: folder)
            defer { b.stop() }
            // A key made through one instance works on the other: it is in the shared database.
            let key = try await a.clientKey()
            let started = try await a.request(.POST, "/v1/images", key: key,
                                              body: #"{"user": "\#(user)", "prompt": "a lighthouse at dusk", \#(JobAPITests.small)}"#)
            #expect(started.status == 202, "\(started.text)")
            let job = try #require(started.json?["job"] as? String)
            try await Self.waitUntilRunning(job, on: comfyui)
            // The client follows the job through the instance that does not run it, then ComfyUI finishes.
            async let followed = b.events(of: job, key: key)
            try await Task.sleep(for: .milliseconds(500))
            await comfyui.setBehaviour(.normal)
            let seen = try await followed
            #expect(seen.last?.name == "completed", "\(seen.map(\.name))")
            #expect(seen.contains { $0.name == "progress" }, "progress came over the channel: \(seen.map(\.name))")
            #expect(seen.map(\.id) == seen.map(\.id).sorted() && Set(seen.map(\.id)).count == seen.count, "in order, each once")
            // Both instances read the same job, and the image's bytes from the shared folder.
            let media = try #require((try await b.request(.GET, "/v1/jobs/\(job)", key: key).json?["media"] as? [String])?.first)
            let bytes = try await b.request(.GET, "/v1/media/\(media)", key: key)
            #expect(bytes.status == 200 && bytes.body.count > 100)
            // A client that reconnects to the first instance with the last id it saw misses nothing and gets nothing twice.
            let lastBeforeEnd = try #require(seen.dropLast().last?.id)
            let rest = try await a.events(of: job, key: key, after: lastBeforeEnd)
            #expect(rest.map(\.name) == ["completed"], "\(rest.map(\.name))")
        }
    }

    @Test func aJobWhoseInstanceDiedIsFinishedByTheOtherExactlyOnce() async throws {
        try await withTwoInstances { first, second in
            let comfyui = try await ComfyUITestServer.start()
            defer { Task { await comfyui.stop() } }
            let folder = TemporaryDirectory("instances")
            // The first instance submits the prompt and is never heard of again: no renewal, no end.
            let dying = JobLeases(duration: .seconds(30), renewal: .seconds(86_400))
            let a = try await APIFixture.start(comfyui: [comfyui.url], stores: first, folder: folder, leases: dying,
                                               generator: { DyingGenerator(base: $0) })
            let b = try await APIFixture.start(comfyui: [comfyui.url], stores: second, folder: folder)
            defer { b.stop() }
            let key = try await a.clientKey()
            let started = try await a.request(.POST, "/v1/images", key: key,
                                              body: #"{"user": "\#(user)", "prompt": "a lighthouse at dusk", \#(JobAPITests.small)}"#)
            let job = try #require(started.json?["job"] as? String)
            for _ in 0..<3_000 where try await second.jobs.job(id: job)?.state != .submitted { try await Task.sleep(for: .milliseconds(10)) }
            a.stop()
            // While the dead instance's lease runs, the other leaves the job alone.
            #expect(try await b.api.resumeOpenJobs().isEmpty)
            #expect(try await second.jobs.lease(of: job)?.owner == dying.instance)
            // A client follows the job through the survivor; once the lease has ended, it takes the job over.
            async let followed = b.events(of: job, key: key)
            try await Task.sleep(for: .milliseconds(300))
            second.clock.advance(by: 31)
            let taken = try await b.api.resumeOpenJobs()
            #expect(taken.map(\.id) == [job] && taken.first?.state == .completed)
            #expect(try await b.api.resumeOpenJobs().isEmpty, "taken over once")
            let seen = try await followed
            #expect(seen.last?.name == "completed" && (seen.last?.data["media"] as? [String])?.count == 1, "\(seen.map(\.name))")
            // Charged once: one hold, one settlement; the image and its preview stored once.
            let ledger = try await second.pointsService.ledger(of: UserID(user)!).map(\.kind)
            #expect(ledger == [.settle, .hold])
            #expect(try await second.media.records(of: UserID(user)!, limit: 10, offset: 0).count == 2)
        }
    }

    /// Waits until ComfyUI runs `job`'s prompt (60 s at most: the test run shares two cores).
    static func waitUntilRunning(_ job: String, on comfyui: ComfyUITestServer) async throws {
        for _ in 0..<6_000 {
            if await !comfyui.activePrompts().isEmpty { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw CancellationError()
    }
}
