import ComfyUIModel
import ComfyUITestSupport
import Foundation
import Studio
import StudioSQLite
import StudioTestSupport
import Synchronization
import TestSupport
import Testing
import Workflows
import WorkflowsTestSupport

/// Cooking a generative series through makeImage on the ComfyUI test server: to the supply, until
/// credits run low, across a restart, paused and stopped.
@Suite(.onTestThreads) struct CookTests {
    /// Waits until piece `number` has a job recorded and that job reached one of `states`.
    func waitForPieceJob(_ fixture: CollectionsFixture, _ collection: String, number: Int = 1,
                         in states: Set<GenerationJob.State>) async throws -> GenerationJob {
        for _ in 0..<6_000 {
            if let job = try await fixture.database.database.collections.pieces(of: collection).first(where: { $0.number == number })?.job {
                return try await fixture.make.waitForJob(job, in: states)
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw CancellationError()
    }

    @Test func aCookMakesTheSupplyWithTheDrawnTraitsAndChargesEachPiece() async throws {
        let fixture = try await CollectionsFixture()
        let series = CollectionsFixture.series(supply: 3)
        let collection = try await fixture.workflow.create(owner: fixture.user, name: "cats", series: series)
        let events = Mutex<[String]>([])
        let cooked = try await fixture.workflow.cook(collection.id, owner: fixture.user) { progress in
            switch progress {
            case .piece(let number, _, _, _): events.withLock { $0.append("piece \(number)") }
            case .made(let number, _, let made, let supply): events.withLock { $0.append("made \(number): \(made)/\(supply)") }
            case .ended(let cook): events.withLock { $0.append(cook.state.rawValue) }
            case .generation, .failed: break
            }
        }
        #expect(cooked.cook.state == .finished && cooked.cook.reason == "the supply of 3 is reached")
        #expect(events.withLock { $0 } == ["piece 1", "made 1: 1/3", "piece 2", "made 2: 2/3", "piece 3", "made 3: 3/3", "finished"])
        let pieces = try await fixture.workflow.pieces(of: collection.id, owner: fixture.user)
        let master = try series.masterPrompt()
        for piece in pieces {
            // Each piece is what its number draws: traits, prompt and seed, under the series' hash.
            let draw = series.draw(piece: piece.number, prompt: master)
            #expect(piece.state == .made && piece.traits == draw.traits.mapValues(\.name) && piece.prompt == draw.prompt && piece.seed == draw.seed)
            #expect(piece.configHash == series.configHash)
            let job = try await fixture.make.workflow.job(piece.job!)
            #expect(job.state == .completed && job.prompt == piece.prompt && job.values["seed"]?.int64 == piece.seed && job.media.first == piece.media)
        }
        let detail = try await fixture.workflow.detail(collection.id, owner: fixture.user)
        #expect(detail.items.map(\.media) == pieces.map(\.media!) && detail.pieces.made == 3 && detail.pieces.stale == 0)
        #expect(try await fixture.make.ledger().filter { $0 == .settle }.count == 3)
        #expect(await fixture.code { _ = try await fixture.workflow.cook(collection.id, owner: fixture.user) } == nil, "a finished cook ends at once")
        // A changed configuration shows: the made pieces are now stale.
        var changed = series
        changed.prompt += ", oil painting"
        _ = try await fixture.workflow.update(collection.id, owner: fixture.user, series: changed)
        #expect(try await fixture.workflow.detail(collection.id, owner: fixture.user).pieces.stale == 3)
        // Piece 2 made again: drawn under the new configuration, its old image out of the collection.
        let redone = try await fixture.workflow.redo(collection.id, owner: fixture.user, pieces: [2])
        #expect(redone.first?.state == .planned && redone.first?.prompt.hasSuffix(", oil painting") == true)
        #expect(try await fixture.workflow.detail(collection.id, owner: fixture.user).items.count == 2)
        #expect(await fixture.code { _ = try await fixture.workflow.redo(collection.id, owner: fixture.user, pieces: [2]) } == "collection_state_conflict")
        let again = try await fixture.workflow.cook(collection.id, owner: fixture.user)
        #expect(again.cook.state == .finished)
        let after = try await fixture.workflow.pieces(of: collection.id, owner: fixture.user)
        #expect(after.map(\.number) == [1, 2, 3] && after[1].state == .made && after[1].configHash == changed.configHash && after[1].media != pieces[1].media)
        #expect(try await fixture.workflow.detail(collection.id, owner: fixture.user).pieces.stale == 2)
    }

    @Test func aCookStopsWhenCreditsRunLowAndHoldsNothing() async throws {
        let fixture = try await CollectionsFixture()
        var series = CollectionsFixture.series(supply: 1)
        let collection = try await fixture.workflow.create(owner: fixture.user, name: "cats", series: series)
        let estimate = Mutex(0)
        _ = try await fixture.workflow.cook(collection.id, owner: fixture.user) { progress in
            if case .generation(_, .held(_, let points)) = progress { estimate.withLock { $0 = points } }
        }
        let perPiece = estimate.withLock { $0 }
        #expect(perPiece > 0)
        // Leave enough for one more piece and a half: a piece holds its estimate and settles on the
        // server's run time (often much less), so the cook makes a few more and then stops.
        let points = fixture.database.points
        let available = try await points.balance(of: fixture.user).available
        _ = try await points.hold(user: fixture.user, job: "elsewhere", estimate: available - perPiece - perPiece / 2)
        series.supply = 10
        _ = try await fixture.workflow.update(collection.id, owner: fixture.user, series: series)
        let cooked = try await fixture.workflow.cook(collection.id, owner: fixture.user)
        #expect(cooked.cook.state == .stopped && cooked.cook.code == "not_enough_points", "\(cooked.cook)")
        #expect(cooked.cook.reason?.hasPrefix("credits ran low (piece ") == true, "\(cooked.cook)")
        let pieces = try await fixture.workflow.pieces(of: collection.id, owner: fixture.user)
        let made = pieces.count { $0.state == .made }
        #expect(made >= 2 && made < 10, "\(made) made")
        #expect(pieces.last?.state == .planned && pieces.last?.job == nil, "the piece it could not pay for waits, drawn, for the next cook")
        #expect(!pieces.contains { $0.state == .failed })
        let balance = try await points.balance(of: fixture.user)
        #expect(balance.held == available - perPiece - perPiece / 2, "only the other hold is held")
        #expect(balance.available < perPiece)
    }

    @Test func aRestartMidCookCarriesOnWhereItWasAndMakesEachPieceOnce() async throws {
        let dying = try await MakeImageFixture(leaseRenewal: MakeImageFixture.dying, generator: { DyingGenerator(base: $0) })
        let first = try await CollectionsFixture(make: dying)
        let collection = try await first.workflow.create(owner: first.user, name: "cats", series: CollectionsFixture.series(supply: 3))
        // The first process submits piece 1's prompt and is never heard of again.
        _ = Task { try await first.workflow.cook(collection.id, owner: first.user) }
        let job = try await waitForPieceJob(first, collection.id, in: [.submitted])
        let second = try await first.restarted()
        #expect(try await second.workflow.resumeOpenCooks().isEmpty, "left alone while the first instance's lease on the cook runs")
        first.make.database.clock.advance(by: 31)
        _ = try await second.make.workflow.resumeOpenJobs()
        let ended = try await second.workflow.resumeOpenCooks()
        #expect(ended.map(\.id) == [collection.id] && ended.first?.cook.state == .finished)
        let pieces = try await second.workflow.pieces(of: collection.id, owner: first.user)
        #expect(pieces.map(\.number) == [1, 2, 3] && pieces.allSatisfy { $0.state == .made })
        #expect(pieces.first?.job == job.id, "piece 1 is the job submitted before the restart, not a new one")
        #expect(try await first.database.database.jobs.jobs(of: first.user, limit: 10).count == 3)
        #expect(try await second.workflow.detail(collection.id, owner: first.user).items.count == 3)
        #expect(try await second.workflow.resumeOpenCooks().isEmpty)
    }

    @Test func aPausedCookFinishesItsPieceAndAStoppedOneCancelsIt() async throws {
        let fixture = try await CollectionsFixture()
        let (workflow, user, server) = (fixture.workflow, fixture.user, fixture.make.server)
        let collection = try await workflow.create(owner: user, name: "cats", series: CollectionsFixture.series(supply: 2))
        #expect(await fixture.code { _ = try await workflow.pause(collection.id, owner: user) } == "collection_state_conflict")
        await server.setBehaviour(.hold)
        let paused = Task { try await workflow.cook(collection.id, owner: user) }
        _ = try await waitForPieceJob(fixture, collection.id, in: [.running])
        #expect(await fixture.code { _ = try await workflow.cook(collection.id, owner: user) } == "collection_state_conflict", "one cook at a time")
        #expect(try await workflow.pause(collection.id, owner: user).cook.state == .paused)
        await server.setBehaviour(.normal)
        let afterPause = try await paused.value
        #expect(afterPause.cook.state == .paused)
        #expect(try await workflow.pieces(of: collection.id, owner: user).map(\.state) == [.made], "the piece in progress was finished")

        await server.setBehaviour(.hold)
        let stopped = Task { try await workflow.cook(collection.id, owner: user) }
        let job = try await waitForPieceJob(fixture, collection.id, number: 2, in: [.running])
        #expect(try await workflow.stop(collection.id, owner: user).cook.state == .stopped)
        let afterStop = try await stopped.value
        #expect(afterStop.cook.state == .stopped && afterStop.cook.reason == "stopped by \(user)")
        #expect(try await fixture.make.workflow.job(job.id).state == .cancelled)
        let waiting = try #require(try await workflow.pieces(of: collection.id, owner: user).last)
        #expect(waiting.number == 2 && waiting.state == .planned && waiting.job == nil)
        #expect(try await fixture.database.points.balance(of: user).held == 0)

        await server.setBehaviour(.normal)
        let resumed = try await workflow.cook(collection.id, owner: user)
        #expect(resumed.cook.state == .finished)
        let pieces = try await workflow.pieces(of: collection.id, owner: user)
        #expect(pieces.map(\.number) == [1, 2] && pieces[1].prompt == waiting.prompt && pieces[1].job != job.id)
    }
}
