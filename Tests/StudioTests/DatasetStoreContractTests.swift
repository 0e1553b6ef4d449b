import Foundation
import Studio
import StudioTestSupport
import TestSupport
import Testing

/// The dataset part of the store contract, run against every engine: datasets come back whole
/// and survive a reopen, a per-owner cap concurrent inserts cannot overrun, updates guarded by
/// the expected state (a review and a cancellation cannot both win), only drafts deleted, the
/// review queue oldest first.
@Suite(.onTestThreads) struct DatasetStoreContractTests {
    let user = UserID("telegram:5472638766")!
    let other = UserID("web:alice")!

    func dataset(_ owner: UserID, at seconds: Double = 1_000) -> TrainingDataset {
        TrainingDataset(owner: owner, name: "my cat", triggerWord: "mycat", createdAt: Date(timeIntervalSince1970: seconds))
    }

    @Test(arguments: StoreEngine.all)
    func datasetsComeBackWholeAndSurviveAReopen(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            var first = dataset(user, at: 1_000)
            first.slots[0] = .init(image: "m_1", caption: "mycat on a sofa")
            try await stores.datasets.insert(first, maxPerOwner: nil)
            let second = dataset(user, at: 2_000)
            try await stores.datasets.insert(second, maxPerOwner: nil)
            try await stores.datasets.insert(dataset(other, at: 3_000), maxPerOwner: nil)
            #expect(try await stores.datasets.dataset(id: first.id) == first)
            #expect(try await stores.datasets.datasets(of: user).map(\.id) == [second.id, first.id])
            let reopened = try await stores.reopened()
            #expect(try await reopened.datasets.dataset(id: first.id) == first)
            #expect(try await reopened.datasets.dataset(id: "ds-none") == nil)
        }
    }

    @Test(arguments: StoreEngine.all)
    func concurrentInsertsNeverPassTheCap(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let datasets = stores.datasets, owner = user
            let made = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<12 {
                    group.addTask {
                        let one = TrainingDataset(owner: owner, name: "n\(index)", triggerWord: "t", createdAt: Date(timeIntervalSince1970: 1_000))
                        return (try? await datasets.insert(one, maxPerOwner: 5)) != nil
                    }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(made == 5)
            let extra = dataset(owner)
            await #expect(throws: StudioError.self) { try await stores.datasets.insert(extra, maxPerOwner: 5) }
            let count = try await stores.datasets.datasets(of: owner).count
            #expect(count == 5)
        }
    }

    @Test(arguments: StoreEngine.all)
    func updatesHappenOnlyFromTheExpectedStateAndOnlyDraftsAreDeleted(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            var submitted = dataset(user, at: 1_000)
            try await stores.datasets.insert(submitted, maxPerOwner: nil)
            submitted.state = .submitted
            submitted.price = 86_400
            #expect(try await stores.datasets.update(submitted, expecting: [.draft]))
            // A reviewer approves while the owner's second submission races it: one wins.
            var approval = submitted
            approval.state = .approved
            let approved = approval
            let wins = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<6 { group.addTask { (try? await stores.datasets.update(approved, expecting: [.submitted])) ?? false } }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(wins == 1)
            #expect(try await !stores.datasets.deleteDraft(id: submitted.id))
            let draft = dataset(user, at: 2_000)
            try await stores.datasets.insert(draft, maxPerOwner: nil)
            var queued = dataset(other, at: 500)
            try await stores.datasets.insert(queued, maxPerOwner: nil)
            queued.state = .submitted
            #expect(try await stores.datasets.update(queued, expecting: [.draft]))
            #expect(try await stores.datasets.datasets(in: [.submitted, .approved]).map(\.id) == [queued.id, submitted.id])
            #expect(try await stores.datasets.deleteDraft(id: draft.id))
            #expect(try await stores.datasets.dataset(id: draft.id) == nil)
        }
    }
}
