import ComfyUI
import ComfyUIModel
import ComfyUITestSupport
import Foundation
import Media
import Studio
import StudioSQLite
import StudioTestSupport
import Testing
import TestSupport
import Vips
import Synchronization
import Workflows
import WorkflowsTestSupport

/// makeImage end to end for user 5472638766, on a real SQLite file, real libvips and the ComfyUI
/// test server: delivered images, refusals before anything is submitted, failures that release
/// the hold, a timeout, a restart mid-job, cancellation, the per-user cap, concurrency.
@Suite(.onTestThreads) struct MakeImageTests {
    @Test func aBatchOfTwoIsDeliveredStoredRecordedAndChargedOnRunTime() async throws {
        let fixture = try await MakeImageFixture()
        try await fixture.database.points.setStanding(1_000_000, of: fixture.user)
        let events = EventLog()
        let result = try await fixture.workflow.run(fixture.request(settings: ["batch": .int(2), "seed": .int(1234)])) { events.append($0) }
        #expect(result.images.count == 2 && result.seed == 1234)
        for image in result.images {
            #expect((image.media.width, image.media.height, image.media.format) == (64, 64, "png"))
            #expect(image.media.source == "job:\(result.job)" && image.preview.derivedFrom == image.media.id)
            let preview = try Image(data: try await fixture.media.data(image.preview.id, owner: fixture.user).data)
            #expect(preview.header.format == .webp && preview.width <= 256)
        }
        let job = try #require(try await fixture.database.database.jobs.job(id: result.job))
        #expect(job.state == .completed && job.media == result.images.map(\.media.id) && job.ticket != nil)
        #expect(result.cost == fixture.database.points.policy.cost(runSeconds: result.runSeconds) && job.cost == result.cost)
        #expect(try await fixture.ledger() == [.settle, .hold, .standing])
        let history = try await fixture.database.sessions.history(of: fixture.user)
        #expect(history.count == 1 && history[0].job == result.job && history[0].media == job.media)
        #expect(result.available == (try await fixture.database.points.balance(of: fixture.user)).available)
        #expect(events.held && !events.queued.isEmpty && events.steps > 0)
    }

    @Test func notEnoughPointsIsRefusedBeforeAnythingIsSubmitted() async throws {
        let fixture = try await MakeImageFixture()
        let available = try await fixture.database.points.balance(of: fixture.user).available
        try await fixture.database.points.hold(user: fixture.user, job: "elsewhere", estimate: available - 5)
        #expect(await fixture.code { _ = try await fixture.workflow.run(fixture.request()) } == "not_enough_points")
        #expect(await fixture.server.requests("POST /prompt") == 0)
        #expect(try await fixture.database.database.jobs.jobs(of: fixture.user, limit: 10).isEmpty)
    }

    @Test func aSettingTheServerDoesNotListIsRefusedBeforeAnythingIsHeld() async throws {
        let fixture = try await MakeImageFixture()
        let request = fixture.request(settings: ["sampler": .string("euler_imaginary")])
        do {
            _ = try await fixture.workflow.run(request)
            Issue.record("a sampler the server does not list was accepted")
        } catch let error as WorkflowError {
            #expect(error.code == .submissionFailed && error.problems.contains { $0.contains("euler_imaginary") }, "\(error)")
        }
        #expect(try await fixture.ledger().isEmpty)
        #expect(await fixture.server.requests("POST /prompt") == 0)
        #expect(try await fixture.database.database.jobs.jobs(of: fixture.user, limit: 10).isEmpty)
    }

    @Test func aRefusalByTheServerAfterTheHoldReleasesItAndStoresNothing() async throws {
        let fixture = try await MakeImageFixture()
        _ = try await fixture.workflow.run(fixture.request("first"))
        let stored = try await fixture.media.list(owner: fixture.user).count
        // The LoRA goes after the workflow last read the server's lists: its own check passes,
        // and the server refuses the prompt.
        await fixture.server.uninstall("tiny-random-lora.safetensors")
        let request = fixture.request("second")
        #expect(await fixture.code { _ = try await fixture.workflow.run(request) } == "submission_failed")
        #expect(try await fixture.ledger() == [.release, .hold, .settle, .hold])
        #expect(try await fixture.database.database.jobs.job(id: request.job)?.state == .failed)
        #expect(try await fixture.media.list(owner: fixture.user).count == stored)
    }

    @Test func theQueuePositionAndAWaitEstimateAreShownUntilTheJobRuns() async throws {
        let fixture = try await MakeImageFixture(queuePollInterval: .milliseconds(20))
        let first = try await fixture.workflow.run(fixture.request("first"))
        #expect(try await fixture.database.database.jobs.job(id: first.job)?.runSeconds == first.runSeconds)
        fixture.database.clock.advance(by: 1)
        await fixture.server.setBehaviour(.hold)
        let (a, b) = (fixture.request("ahead"), fixture.request("behind"))
        let ahead = Task { try await fixture.workflow.run(a) }
        _ = try await fixture.waitForJob(a.job, in: [.running])
        fixture.database.clock.advance(by: 1)
        let events = EventLog()
        let behind = Task { try await fixture.workflow.run(b) { events.append($0) } }
        for _ in 0..<1_000 where events.queued.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        // The job ahead is cancelled: the one behind starts, and is held running until it is seen running.
        try await fixture.workflow.cancel(job: a.job, user: fixture.user)
        for _ in 0..<1_000 where events.queued.last?.position != 0 { try await Task.sleep(for: .milliseconds(10)) }
        await fixture.server.setBehaviour(.normal)
        _ = try? await ahead.value
        _ = try await behind.value
        let queued = events.queued
        // One run ahead and its own, each as long as the one job finished before.
        #expect(queued.first?.position == 1 && queued.first?.wait == .milliseconds(Int64((2 * first.runSeconds * 1_000).rounded())), "\(queued)")
        #expect(queued.count >= 2 && (queued.last?.position ?? 0) == 0, "\(queued)")
        #expect(try await fixture.workflow.jobs(of: fixture.user).map(\.id) == [b.job, a.job, first.job])
        #expect(await fixture.code { _ = try await fixture.workflow.job(first.job, user: UserID("web:alice")!) } == "job_not_found")
    }

    @Test func anExecutionErrorReleasesTheHold() async throws {
        let fixture = try await MakeImageFixture()
        await fixture.server.setBehaviour(.failExecution)
        let request = fixture.request()
        #expect(await fixture.code { _ = try await fixture.workflow.run(request) } == "generation_failed")
        let job = try #require(try await fixture.database.database.jobs.job(id: request.job))
        #expect(job.state == .failed && job.failure?.message.contains("out of memory") == true)
        #expect(try await fixture.ledger() == [.release, .hold])
        #expect(try await fixture.database.points.balance(of: fixture.user).held == 0)
    }

    @Test func aTimeoutInterruptsThePromptAndReleasesTheHold() async throws {
        let fixture = try await MakeImageFixture(deadline: .seconds(2))
        await fixture.server.setBehaviour(.stall)
        let request = fixture.request()
        #expect(await fixture.code { _ = try await fixture.workflow.run(request) } == "generation_timeout")
        let job = try #require(try await fixture.database.database.jobs.job(id: request.job))
        #expect(job.state == .timedOut && job.ticket != nil)
        let queue = try await fixture.server.client().queue()
        #expect(!queue.pending.contains { $0.promptID == job.ticket?.promptID }, "the prompt was taken off the queue")
        #expect(try await fixture.ledger() == [.release, .hold])
    }

    @Test func aRestartMidJobCompletesItExactlyOnce() async throws {
        let first = try await MakeImageFixture(leaseRenewal: MakeImageFixture.dying, generator: { DyingGenerator(base: $0) })
        let request = first.request()
        // The first process's run never comes back: it is left waiting, as a killed process would be.
        _ = Task { try await first.workflow.run(request) }
        _ = try await first.waitForJob(request.job, in: [.submitted])
        // A new process over the same database leaves the job alone while the first one's lease runs…
        let second = try await first.restarted()
        #expect(try await second.workflow.resumeOpenJobs().isEmpty)
        // …and once it has ended, takes the open job over and finishes it.
        first.database.clock.advance(by: 31)
        let ended = try await second.workflow.resumeOpenJobs()
        #expect(ended.map(\.id) == [request.job] && ended.first?.state == .completed)
        #expect(try await second.workflow.resumeOpenJobs().isEmpty)
        #expect(try await first.ledger() == [.settle, .hold])
        #expect(try await second.media.list(owner: first.user).count == 2, "one image and its preview")
        #expect(try await first.database.sessions.history(of: first.user).count == 1)
    }

    @Test func aJobIDStartsOneRunAndASecondTouchesNothing() async throws {
        let fixture = try await MakeImageFixture()
        let other = try await fixture.restarted()
        let request = fixture.request()
        // The same request three times at once, twice here and once on another instance: one run.
        let outcomes = await withTaskGroup(of: String.self) { group in
            for workflow in [fixture.workflow, fixture.workflow, other.workflow] {
                group.addTask { await workflowErrorCode { _ = try await workflow.run(request) } ?? "completed" }
            }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(outcomes.sorted() == ["completed", "duplicate_id", "duplicate_id"])
        #expect(try await fixture.ledger() == [.settle, .hold], "one hold, settled: no refusal released it")
        #expect(try await fixture.database.database.jobs.job(id: request.job)?.state == .completed)
        // Once it has run, the id starts nothing either.
        #expect(await fixture.code { _ = try await fixture.workflow.run(request) } == "duplicate_id")
        #expect(try await fixture.ledger() == [.settle, .hold])
        #expect(await fixture.server.requests("POST /prompt") == 1)
    }

    @Test func aJobNeverSubmittedIsReleasedAfterARestart() async throws {
        let fixture = try await MakeImageFixture()
        // A process that held and recorded a job, then stopped before submitting it.
        let job = GenerationJob(user: fixture.user, template: "text2img", prompt: "lost", values: [:], estimate: 30,
                                deadline: Date().addingTimeInterval(600), createdAt: Date())
        try await fixture.database.points.hold(user: fixture.user, job: job.id, estimate: 30)
        try await fixture.database.database.jobs.insert(job, maxOpen: nil)
        let ended = try await fixture.restarted().workflow.resumeOpenJobs()
        #expect(ended.first?.state == .failed)
        #expect(try await fixture.database.points.balance(of: fixture.user).held == 0)
    }

    @Test func aUserCancelsOnlyTheirOwnJobs() async throws {
        let fixture = try await MakeImageFixture()
        await fixture.server.setBehaviour(.stall)
        let request = fixture.request()
        let running = Task { try await fixture.workflow.run(request) }
        _ = try await fixture.waitForJob(request.job, in: [.submitted, .running])
        #expect(await fixture.code { try await fixture.workflow.cancel(job: request.job, user: UserID("web:alice")!) } == "job_not_found")
        let cancelled = try await fixture.workflow.cancel(job: request.job, user: fixture.user)
        #expect(cancelled.state == .cancelled)
        #expect(await fixture.code { _ = try await running.value } == "cancelled")
        #expect(try await fixture.ledger() == [.release, .hold])
        let queue = try await fixture.server.client().queue()
        #expect(queue.pending.isEmpty && queue.running.isEmpty)
    }

    @Test func aUserHasAtMostTheirCapOfOpenJobs() async throws {
        let fixture = try await MakeImageFixture()
        await fixture.server.setBehaviour(.stall)
        let (a, b) = (fixture.request("one"), fixture.request("two"))
        let runs = [Task { try await fixture.workflow.run(a) }, Task { try await fixture.workflow.run(b) }]
        _ = try await fixture.waitForJob(a.job, in: [.submitted])
        _ = try await fixture.waitForJob(b.job, in: [.submitted])
        #expect(await fixture.code { _ = try await fixture.workflow.run(fixture.request("three")) } == "too_many_jobs")
        #expect(try await fixture.database.points.balance(of: fixture.user).held == 2 * 15, "two holds of 15 (64², 4 steps), the third released")
        for id in [a.job, b.job] { try await fixture.workflow.cancel(job: id, user: fixture.user) }
        for run in runs { _ = try? await run.value }
        #expect(try await fixture.database.points.balance(of: fixture.user).held == 0)
    }

    @Test func concurrentGenerationsNeverOverspend() async throws {
        // The server runs the eight one after another: on a loaded machine the last ones wait
        // well past the usual deadline, which is not what this test is about.
        let fixture = try await MakeImageFixture(deadline: .seconds(600))
        try await fixture.database.points.setStanding(4_000_000, of: fixture.user)
        let balance = try await fixture.database.points.balance(of: fixture.user)
        // Leave room for two jobs of 15 points (64², 4 steps) and a little.
        try await fixture.database.points.hold(user: fixture.user, job: "elsewhere", estimate: balance.available - 40)
        let workflow = fixture.workflow
        let outcomes = await withTaskGroup(of: (code: String, cost: Int).self) { group in
            for index in 0..<8 {
                let request = fixture.request("piece \(index)")
                group.addTask {
                    do { return ("ok", try await workflow.run(request).cost) } catch let error as WorkflowError { return (error.code.rawValue, 0) }
                    catch { return ("\(error)", 0) }
                }
            }
            return await group.reduce(into: [(code: String, cost: Int)]()) { $0.append($1) }
        }
        let codes = outcomes.map(\.code)
        // Two holds of 15 (64², 4 steps) fit at once; a job settled below its hold may leave room for one more.
        #expect(codes.filter { $0 == "ok" }.count >= 2, "\(codes)")
        #expect(codes.allSatisfy { ["ok", "not_enough_points"].contains($0) }, "\(codes)")
        #expect(outcomes.map(\.cost).reduce(0, +) <= 40, "\(outcomes)")
        let after = try await fixture.database.points.balance(of: fixture.user)
        #expect(after.held == balance.available - 40 && after.available >= 0)
        #expect(try await fixture.database.database.jobs.openJobs().isEmpty)
    }
}

/// What a run reported, for the assertions.
final class EventLog: Sendable {
    private let state = Mutex<(held: Bool, queued: [Queued], steps: Int)>((false, [], 0))

    /// One `queued` report.
    struct Queued: Equatable {
        var position: Int?
        var wait: Duration?
    }

    func append(_ progress: MakeImage.Progress) {
        state.withLock { value in
            switch progress {
            case .held: value.held = true
            case .queued(let position, let wait): value.queued.append(Queued(position: position, wait: wait))
            case .generation(.progress): value.steps += 1
            default: break
            }
        }
    }

    var held: Bool { state.withLock { $0.held } }
    var queued: [Queued] { state.withLock { $0.queued } }
    var steps: Int { state.withLock { $0.steps } }
}
