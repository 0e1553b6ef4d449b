import ComfyUIModel
import Foundation
import Studio
import TestSupport
import Testing
import StudioTestSupport

/// The rules every implementation of the Studio stores must keep, run against each engine
/// (`StoreEngine.all`): idempotency keys, exact regeneration, concurrent holds that never
/// overspend, all-or-nothing changes, the history cap, one session per user, templates by name
/// and kind. A new store (PostgreSQL) is done when it passes this suite unchanged.
@Suite(.onTestThreads) struct StoreContractTests {
    let user = UserID("telegram:5472638766")!
    let other = UserID("web:alice")!

    // MARK: - Points

    @Test(arguments: StoreEngine.all)
    func everyChangeHappensOnceForItsKey(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let points = stores.pointsService
            try await points.hold(user: user, job: "a", estimate: 30)
            try await points.hold(user: user, job: "a", estimate: 30)
            try await points.settle(job: "a", cost: 20)
            try await points.settle(job: "a", cost: 20)
            try await points.hold(user: user, job: "b", estimate: 10)
            try await points.release(job: "b")
            try await points.release(job: "b")
            try await points.addCredits(50, to: user, key: "promo-7")
            try await points.addCredits(50, to: user, key: "promo-7")
            try await points.refund(job: "a")
            try await points.refund(job: "a")
            let balance = try await points.balance(of: user)
            #expect(balance.used == 0 && balance.held == 0 && balance.credits == 50 && balance.exp == 0)
            let kinds = try await points.ledger(of: user).map(\.kind)
            #expect(kinds == [.refund, .grant, .release, .hold, .settle, .hold])
        }
    }

    @Test(arguments: StoreEngine.all)
    func aCreditKeyBelongsToItsUser(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let points = stores.pointsService
            try await points.addCredits(50, to: user, key: "promo-7")
            let theirs = try await points.addCredits(50, to: other, key: "promo-7")
            #expect(theirs.credits == 50)
            #expect(try await points.balance(of: user).credits == 50)
        }
    }

    @Test(arguments: StoreEngine.all)
    func regenerationIsExactAcrossChanges(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let points = stores.pointsService
            try await points.hold(user: user, job: "all", estimate: 370)
            try await points.settle(job: "all", cost: 370)
            for tick in 1...18 {
                stores.clock.advance(minutes: 15)
                try await points.addCredits(1, to: user, key: "tick-\(tick)")
                #expect(try await points.balance(of: user).used == max(0, 370 - (370 * tick) / 18), "after \(tick) ticks")
            }
            let full = try await points.balance(of: user)
            #expect(full.used == 0 && full.available == 370 + 18)
        }
    }

    @Test(arguments: StoreEngine.all)
    func concurrentHoldsNeverSpendMoreThanIsAvailable(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let points = stores.pointsService
            let granted = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<100 {
                    group.addTask {
                        do { try await points.hold(user: user, job: "job-\(index)", estimate: 10); return true }
                        catch StudioError.Code.notEnoughPoints { return false }
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(granted == 37)
            let balance = try await points.balance(of: user)
            #expect(balance.held == 370 && balance.available == 0)
            #expect(try await points.ledger(of: user, limit: 1000).count == 37)
        }
    }

    @Test(arguments: StoreEngine.all)
    func twoHundredHoldsFromTwoInstancesGrantExactlyWhatTheBalanceAllows(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            // Two instances over one database (for SQLite, two pools on one file); 350 free, each hold 7.
            let instances = [stores.pointsService, try await stores.reopened().pointsService]
            try await instances[1].hold(user: user, job: "first", estimate: 20)
            try await instances[0].settle(job: "first", cost: 20)
            let granted = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<200 {
                    let points = instances[index % 2]
                    group.addTask {
                        do { try await points.hold(user: user, job: "race-\(index)", estimate: 7); return true }
                        catch StudioError.Code.notEnoughPoints { return false }
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(granted == 50)
            for points in instances {
                let balance = try await points.balance(of: user)
                #expect(balance.held == 350 && balance.available == 0)
            }
            // Settling every granted hold, half through each instance, charges each exactly once.
            let holds = try await instances[0].ledger(of: user, limit: 1000).filter { $0.kind == .hold && $0.job?.hasPrefix("race-") == true }
            #expect(holds.count == 50)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, hold) in holds.enumerated() {
                    for points in instances {
                        group.addTask { _ = try await points.settle(job: hold.job!, cost: index.isMultiple(of: 2) ? 7 : 3) }
                    }
                }
                try await group.waitForAll()
            }
            let settled = try await instances[1].balance(of: user)
            #expect(settled.held == 0 && settled.used == 20 + 25 * 7 + 25 * 3)
            #expect(try await instances[1].ledger(of: user, limit: 1000).filter { $0.kind == .settle }.count == 51)
        }
    }

    @Test(arguments: StoreEngine.all)
    func aRefusedChangeStoresNothing(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let points = stores.pointsService
            try await points.hold(user: user, job: "mine", estimate: 10)
            // A rule that throws after reading leaves every row as it was.
            await #expect(throws: StudioError.self) {
                try await points.hold(user: other, job: "mine", estimate: 10)
            }
            await #expect(throws: StudioError.self) {
                _ = try await stores.points.change(PointsScope(user: user)) { snapshot -> (PointsWrite, Int) in
                    throw StudioError(.invalidParams, "refused after reading \(snapshot.account?.held ?? -1)")
                }
            }
            #expect(try await points.balance(of: other).held == 0)
            #expect(try await points.balance(of: user).held == 10)
            #expect(try await points.ledger(of: other).isEmpty)
        }
    }

    @Test(arguments: StoreEngine.all)
    func pointsSurviveAReopen(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            try await stores.pointsService.hold(user: user, job: "j", estimate: 25)
            try await stores.pointsService.addCredits(7, to: user, key: "k")
            let again = try await stores.reopened().pointsService
            let balance = try await again.balance(of: user)
            #expect(balance.held == 25 && balance.credits == 7)
            #expect(try await again.settle(job: "j", cost: 5).status == .settled)
        }
    }

    // MARK: - Sessions

    @Test(arguments: StoreEngine.all)
    func concurrentFirstVisitsMakeOneSession(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let sessions = stores.sessionService
            let created = try await withThrowingTaskGroup(of: Date.self) { group in
                for _ in 0..<20 { group.addTask { try await sessions.session(of: user).createdAt } }
                return try await group.reduce(into: Set<Date>()) { $0.insert($1) }
            }
            #expect(created.count == 1)
        }
    }

    @Test(arguments: StoreEngine.all)
    func historyKeepsTheNewestFifty(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let sessions = stores.sessionService
            for index in 1...55 {
                stores.clock.advance(by: 1)
                try await sessions.recordGeneration(HistoryEntry(at: stores.clock.now(), prompt: "p\(index)", template: "text2img",
                job: "job-\(index)", media: []), of: user)
            }
            let history = try await stores.reopened().sessionService.history(of: user)
            #expect(history.count == 50 && history.first?.prompt == "p55" && history.last?.prompt == "p6")
        }
    }

    @Test(arguments: StoreEngine.all)
    func preferencesAndStandingChecksPersist(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            try await stores.sessionService.updatePreferences(of: user, ["steps": .int(20)])
            try await stores.sessionService.recordStanding(2_000_000, of: user)
            let again = try await stores.reopened().sessionService
            #expect(try await again.preferences(of: user).settings.steps == 20)
            #expect(try await again.cachedStanding(of: user) == 2_000_000)
        }
    }

    // MARK: - Templates

    @Test(arguments: StoreEngine.all)
    func templatesAreStoredWithTheirPricingAndFoundByKind(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let graph: [String: JSONValue] = ["1": ["class_type": "EmptyImage", "inputs": ["width": 8]], "2": ["class_type": "SaveImage", "inputs": ["images": ["1", 0]]]]
            func entry(_ name: String, _ kind: WorkflowTemplate.Kind, rate: Double?) -> CatalogueEntry {
                CatalogueEntry(template: WorkflowTemplate(name: name, kind: kind, graph: graph, inputs: [:], outputs: ["2"]),
                pricing: TemplatePricing(pointsPerSecond: rate))
            }
            try await stores.templates.save([entry("b", .upscale, rate: 3), entry("a", .text2img, rate: nil)])
            try await stores.templates.save([entry("b", .upscale, rate: 4)])
            let again = try await stores.reopened().templates
            #expect(try await again.allEntries().map(\.name) == ["a", "b"])
            #expect(try await again.entries(of: .upscale).map(\.pricing.pointsPerSecond) == [4])
            #expect(try await again.entry(named: "a")?.pricing == TemplatePricing())
            #expect(try await again.entry(named: "missing") == nil)
        }
    }
}
