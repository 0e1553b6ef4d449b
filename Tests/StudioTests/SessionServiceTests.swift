import Foundation
import GRDB
import Studio
import StudioSQLite
import Testing
import TestSupport
import StudioTestSupport

@Suite(.onTestThreads) struct SessionServiceTests {
    let db: TestDatabase
    let user = UserID.telegramTester
    var sessions: SessionService { db.sessions }

    init() throws { db = try TestDatabase() }

    @Test func aSessionIsCreatedOnceWithTheDefaults() async throws {
        let first = try await sessions.session(of: user)
        db.clock.advance(minutes: 5)
        let again = try await sessions.session(of: user)
        #expect(first.preferences == .defaults && first.standing == 0 && first.standingCheckedAt == nil)
        #expect(again.createdAt == first.createdAt)
    }

    @Test func concurrentFirstVisitsMakeOneSession() async throws {
        let created = try await withThrowingTaskGroup(of: Date.self) { group in
            for _ in 0..<20 { group.addTask { try await sessions.session(of: user).createdAt } }
            return try await group.reduce(into: Set<Date>()) { $0.insert($1) }
        }
        #expect(created.count == 1)
        let rows = try await db.database.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM sessions") }
        #expect(rows == 1)
    }

    @Test func preferencesAreValidatedStoredAndReset() async throws {
        try await sessions.updatePreferences(of: user, ["steps": .int(20), "width": .int(512)])
        let reopened = SessionService(store: try db.reopened().sessions, points: db.points, clock: db.clock)
        let stored = try await reopened.preferences(of: user)
        #expect(stored.settings.steps == 20 && stored.settings.width == 512 && stored.limits.maxSide == 1024)
        do {
            try await sessions.updatePreferences(of: user, ["steps": .int(10), "width": .int(4096)])
            Issue.record("accepted width 4096")
        } catch { #expect(StudioError.Code.invalidSettings ~= error) }
        #expect(try await sessions.preferences(of: user).settings.steps == 20)  // nothing half-applied
        try await sessions.resetPreferences(of: user)
        #expect(try await sessions.preferences(of: user).settings == .defaults)
    }

    @Test func historyKeepsTheNewest50NewestFirst() async throws {
        for index in 1...55 {
            db.clock.advance(by: 1)
            try await sessions.recordGeneration(HistoryEntry(at: db.clock.now(), prompt: "prompt \(index)", template: "text2img",
                                                             job: "job-\(index)", media: ["media-\(index)"]), of: user)
        }
        let history = try await sessions.history(of: user)
        #expect(history.count == 50)
        #expect(history.first?.job == "job-55" && history.last?.job == "job-6")
        #expect(history.first?.media == ["media-55"])
        let rows = try await db.database.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM history") }
        #expect(rows == 50)
    }

    @Test func theCachedStandingIsValidFor24Hours() async throws {
        #expect(try await sessions.cachedStanding(of: user) == nil)
        try await sessions.recordStanding(250_000, of: user)
        #expect(try await sessions.cachedStanding(of: user) == 250_000)
        #expect(try await db.points.balance(of: user).capacity == (250_000 + 199_800) / 540)
        #expect(try await sessions.preferences(of: user).limits.canDisableWatermark)
        db.clock.advance(by: 24 * 60 * 60 - 1)
        #expect(try await sessions.cachedStanding(of: user) == 250_000)
        db.clock.advance(by: 1)
        #expect(try await sessions.cachedStanding(of: user) == nil)
    }
}

@Suite(.onTestThreads) struct SchemaTests {
    @Test func theDatabaseUsesWALAndEnforcesForeignKeys() async throws {
        let db = try TestDatabase()
        let (mode, keys) = try await db.database.writer.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA foreign_keys"))
        }
        #expect(mode == "wal" && keys == 1)
        await #expect(throws: DatabaseError.self) {
            try await db.database.writer.write { db in
                try db.execute(sql: "INSERT INTO history (user, at, entry) VALUES ('web:nobody', 0, '{}')")
            }
        }
    }

    @Test func migratingTwiceIsHarmless() async throws {
        let db = try TestDatabase()
        try await db.points.addCredits(5, to: .telegramTester, key: "x")
        let again = try db.reopened()
        #expect(try await PointsService(store: again.points, clock: db.clock).balance(of: .telegramTester).credits == 5)
    }
}
