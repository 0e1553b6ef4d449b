import Foundation
import Studio
import StudioSQLite
import Testing
import TestSupport
import StudioTestSupport

/// The points rules of docs/ARCHITECTURE.md, Points, with exact numbers, on every store engine
/// (a real SQLite file, a real PostgreSQL schema).
@Suite(.onTestThreads) struct PointsServiceTests {
    let user = UserID.telegramTester

    /// Spends `amount` of the allowance through a job.
    func spend(_ amount: Int, job: String = UUID().uuidString, with points: PointsService) async throws {
        try await points.hold(user: user, job: job, estimate: amount)
        try await points.settle(job: job, cost: amount)
    }

    @Test(arguments: StoreEngine.all)
    func aNewUserHasTheWholeAllowance(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let points = stores.pointsService
            let balance = try await points.balance(of: user)
            #expect(balance.capacity == 370 && balance.used == 0 && balance.held == 0 && balance.credits == 0)
            #expect(balance.available == 370 && balance.level == 0 && balance.nextRegenerationAt == nil)
        }
    }

    @Test(arguments: StoreEngine.all)
    func aHoldReservesAndASettlementChargesTheRealCost(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let points = stores.pointsService
            // When
            let hold = try await points.hold(user: user, job: "job-1", estimate: 35)
            let during = try await points.balance(of: user)
            try await points.settle(job: "job-1", runSeconds: 12.3)
            let after = try await points.balance(of: user)
            // Then
            #expect(hold.amount == 35 && hold.status == .held)
            #expect(during.held == 35 && during.available == 335)
            #expect(after.held == 0 && after.used == 25 && after.available == 345 && after.exp == 25 && after.level == 2)
        }
    }

    @Test(arguments: StoreEngine.all)
    func usedPointsComeBackBy20Every15MinutesAndAreFullAfter4Point5Hours(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let points = stores.pointsService
            // Given: the whole allowance used
            try await spend(370, with: points)
            #expect(try await points.balance(of: user).available == 0)
            // When / Then
            stores.clock.advance(minutes: 14)
            #expect(try await points.balance(of: user).used == 370)
            stores.clock.advance(minutes: 1)
            let afterOneTick = try await points.balance(of: user)
            #expect(afterOneTick.used == 350 && afterOneTick.available == 20)
            #expect(afterOneTick.nextRegenerationAt == stores.clock.now().addingTimeInterval(15 * 60))
            stores.clock.advance(minutes: 4.5 * 60 - 15)
            let full = try await points.balance(of: user)
            #expect(full.used == 0 && full.available == 370 && full.nextRegenerationAt == nil)
        }
    }

    @Test(arguments: StoreEngine.all)
    func regenerationIsExactHoweverOftenItIsObserved(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let points = stores.pointsService
            // A change every tick carries the fraction along: after 18 ticks it is still exactly full.
            try await spend(370, with: points)
            for tick in 1...18 {
                stores.clock.advance(minutes: 15)
                try await points.addCredits(1, to: user, key: "tick-\(tick)")
            }
            let balance = try await points.balance(of: user)
            #expect(balance.used == 0 && balance.credits == 18)
            // The ledger shows the fraction was not lost: after one tick 20 came back, after two 41.
            let entries = try await points.ledger(of: user).reversed().filter { $0.kind == .grant }
            #expect(entries.prefix(2).map(\.availableAfter) == [21, 43])
        }
    }

    @Test(arguments: StoreEngine.all)
    func creditsAreSpentAfterTheAllowance(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let points = stores.pointsService
            try await points.addCredits(100, to: user, key: "payment-1", purchased: true)
            try await spend(360, with: points)
            try await points.hold(user: user, job: "big", estimate: 50)
            let hold = try await points.settle(job: "big", cost: 50)
            let balance = try await points.balance(of: user)
            #expect(hold.fromAllowance == 10 && hold.fromCredits == 40)
            #expect(balance.used == 370 && balance.credits == 60 && balance.available == 60 && balance.exp == 410)
        }
    }

    @Test(arguments: StoreEngine.all)
    func aHoldBeyondWhatIsAvailableIsRefusedWithTheFigures(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let points = stores.pointsService
            do {
                try await points.hold(user: user, job: "too-big", estimate: 371)
                Issue.record("a hold beyond what is available was granted")
            } catch let error as StudioError {
                #expect(error.code == .notEnoughPoints && error.required == 371 && error.available == 370)
            }
            #expect(try await points.balance(of: user).held == 0)
            #expect(try await points.ledger(of: user).isEmpty)
        }
    }

    @Test(arguments: StoreEngine.all)
    func releasingChargesNothingAndHappensOnce(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let points = stores.pointsService
            try await points.hold(user: user, job: "failed", estimate: 100)
            try await points.release(job: "failed")
            let again = try await points.release(job: "failed")
            let balance = try await points.balance(of: user)
            #expect(again.status == .released)
            #expect(balance.available == 370 && balance.held == 0 && balance.exp == 0)
            #expect(try await points.ledger(of: user).map(\.kind) == [.release, .hold])
        }
    }

    @Test(arguments: StoreEngine.all)
    func settlingTwiceChargesOnceAndReleaseAfterSettleIsRefused(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let points = stores.pointsService
            try await points.hold(user: user, job: "done", estimate: 40)
            try await points.settle(job: "done", cost: 30)
            try await points.settle(job: "done", cost: 30)
            #expect(try await points.balance(of: user).used == 30)
            await #expect(throws: StudioError.self) { try await points.release(job: "done") }
            do { try await points.release(job: "done") } catch { #expect(StudioError.Code.jobAlreadySettled ~= error) }
            try await points.hold(user: user, job: "cancelled", estimate: 10)
            try await points.release(job: "cancelled")
            do { try await points.settle(job: "cancelled", cost: 10); Issue.record("settled a released job") }
            catch { #expect(StudioError.Code.holdReleased ~= error) }
            do { try await points.settle(job: "never-held", cost: 1); Issue.record("settled an unknown job") }
            catch { #expect(StudioError.Code.holdNotFound ~= error) }
            #expect(try await points.ledger(of: user).filter { $0.kind == .settle }.count == 1)
        }
    }

    @Test(arguments: StoreEngine.all)
    func aRefundGivesBackWhatTheJobCostOnce(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let points = stores.pointsService
            try await points.addCredits(50, to: user, key: "gift")
            try await spend(360, with: points)
            try await points.hold(user: user, job: "refund-me", estimate: 30)
            try await points.settle(job: "refund-me", cost: 30)  // 10 allowance + 20 credits
            try await points.refund(job: "refund-me", note: "bad output")
            try await points.refund(job: "refund-me")
            let balance = try await points.balance(of: user)
            #expect(balance.used == 360 && balance.credits == 50 && balance.exp == 360)
            #expect(try await points.ledger(of: user).filter { $0.kind == .refund }.count == 1)
        }
    }

    @Test(arguments: StoreEngine.all)
    func creditsWithTheSameKeyAreAddedOnce(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let points = stores.pointsService
            try await points.addCredits(25, to: user, key: "promo-7")
            let second = try await points.addCredits(25, to: user, key: "promo-7")
            #expect(second.credits == 25 && second.available == 395)
            await #expect(throws: StudioError.self) { try await points.addCredits(0, to: user, key: "zero") }
        }
    }

    @Test(arguments: StoreEngine.all)
    func standingRaisesCapacityAndTheOldRateAppliesUntilThen(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let points = stores.pointsService
            try await spend(370, with: points)
            stores.clock.advance(minutes: 15)  // 20 back at capacity 370
            let raised = try await points.setStanding(1_000_000, of: user)
            #expect(raised.capacity == 2_221 && raised.used == 350 && raised.available == 1_871)
            stores.clock.advance(minutes: 15)  // now 2221 / 18 = 123.4 per tick
            #expect(try await points.balance(of: user).used == 350 - 123)
        }
    }

    @Test(arguments: StoreEngine.all)
    func twoHundredConcurrentHoldsGrantExactlyFifty(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let points = stores.pointsService
            // Given: 350 points free, each hold 7: room for exactly fifty
            try await spend(20, with: points)
            #expect(try await points.balance(of: user).available == 350)
            // When
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        do { try await points.hold(user: user, job: "race-\(index)", estimate: 7); return true }
                        catch { return false }
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            // Then
            #expect(outcomes.filter { $0 }.count == 50)
            let balance = try await points.balance(of: user)
            #expect(balance.held == 350 && balance.available == 0)
            #expect(try await points.ledger(of: user, limit: 500).filter { $0.key.hasPrefix("hold:race-") }.count == 50)
        }
    }

    @Test(arguments: StoreEngine.all)
    func everythingIsStillThereAfterAReopen(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let points = stores.pointsService
            try await points.addCredits(40, to: user, key: "k")
            try await spend(100, with: points)
            let reopened = PointsService(store: try await stores.reopened().points, clock: stores.clock)
            let balance = try await reopened.balance(of: user)
            #expect(balance.used == 100 && balance.credits == 40 && balance.exp == 100)
        }
    }

    @Test(arguments: StoreEngine.all)
    func theLedgerListsEveryChangeNewestFirst(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let points = stores.pointsService
            try await points.addCredits(10, to: user, key: "a", purchased: true)
            try await points.hold(user: user, job: "j", estimate: 20)
            try await points.settle(job: "j", cost: 15)
            let entries = try await points.ledger(of: user)
            #expect(entries.map(\.kind) == [.settle, .hold, .purchase])
            #expect(entries.map(\.key) == ["settle:j", "hold:j", "purchase:telegram:5472638766:a"])
            #expect(entries[0].amount == 15 && entries[0].fromAllowance == 15 && entries[0].availableAfter == 365)
        }
    }

    @Test(arguments: StoreEngine.all)
    func aJobIdCannotHoldAnotherUsersPoints(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let points = stores.pointsService
            try await points.hold(user: user, job: "shared", estimate: 5)
            let other = UserID("web:42")!
            do { try await points.hold(user: other, job: "shared", estimate: 5); Issue.record("held another user's job") }
            catch { #expect(StudioError.Code.jobBelongsToAnotherUser ~= error) }
        }
    }

    @Test(arguments: StoreEngine.all)
    func hugeFiguresAreRefusedOrBoundedAndNeverTrap(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let points = stores.pointsService
            for attempt in [{ try await points.setStanding(Int.max, of: user) },
                            { try await points.addCredits(Int.max, to: user, key: "max") },
                            { try await points.hold(user: user, job: "max", estimate: Int.max) },
                            { try await points.settle(job: "max", cost: Int.max) }] as [@Sendable () async throws -> Any] {
                do { _ = try await attempt(); Issue.record("a figure beyond 10¹² was accepted") }
                catch { #expect(StudioError.Code.invalidParams ~= error, "\(error)") }
            }
            try await points.setStanding(PointsPolicy.maximumStanding, of: user)
            try await points.addCredits(PointsPolicy.maximumPoints, to: user, key: "all")
            do { try await points.addCredits(1, to: user, key: "one more"); Issue.record("credits passed 10¹²") }
            catch { #expect(StudioError.Code.invalidParams ~= error) }
            let balance = try await points.balance(of: user)
            #expect(balance.credits == PointsPolicy.maximumPoints && balance.capacity == (PointsPolicy.maximumStanding + 199_800) / 540)
            // The biggest charge there is, settled, leaves every later call working.
            try await points.hold(user: user, job: "big", estimate: PointsPolicy.maximumPoints)
            try await points.settle(job: "big", cost: PointsPolicy.maximumPoints)
            try await points.hold(user: user, job: "bigger", estimate: 1)
            try await points.settle(job: "bigger", cost: PointsPolicy.maximumPoints)
            #expect(try await points.balance(of: user).exp == PointsPolicy.maximumPoints)
            let policy = PointsPolicy()
            #expect(policy.cost(runSeconds: 1e300) == PointsPolicy.maximumPoints && policy.cost(runSeconds: .nan) == 0)
            #expect(policy.cost(runSeconds: 10, pointsPerSecond: .infinity) == 0)
            #expect(policy.estimate(isTextToImage: true, width: .max, height: .max, steps: .max, batch: .max) > 0)
        }
    }
}
