import Studio
import TestSupport
import Testing
import StudioTestSupport

/// The cursor part of the store contract, run against every engine: a cursor is missing until
/// saved, comes back after a reopen, and only moves forward, also when instances save at once.
@Suite(.onTestThreads) struct CursorStoreContractTests {
    @Test(arguments: StoreEngine.all)
    func aCursorOnlyMovesForwardAndSurvivesAReopen(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            #expect(try await stores.cursors.position(of: "telegram:1") == nil)
            try await stores.cursors.save("telegram:1", position: 40)
            try await stores.cursors.save("telegram:1", position: 41)
            // An instance that lags behind saves an older position: it is not taken back.
            try await stores.cursors.save("telegram:1", position: 12)
            #expect(try await stores.cursors.position(of: "telegram:1") == 41)
            #expect(try await stores.cursors.position(of: "telegram:2") == nil, "cursors are kept by name")
            // Twenty saves at once, from two instances: the furthest is kept.
            let other = try await stores.reopened()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for position in 100..<120 {
                    let cursors = position.isMultiple(of: 2) ? stores.cursors : other.cursors
                    group.addTask { try await cursors.save("telegram:1", position: position) }
                }
                try await group.waitForAll()
            }
            #expect(try await other.cursors.position(of: "telegram:1") == 119)
        }
    }
}
