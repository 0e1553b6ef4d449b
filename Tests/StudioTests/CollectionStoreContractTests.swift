import Foundation
import Studio
import StudioTestSupport
import TestSupport
import Testing

/// The collection part of the store contract, run against every engine: collections and pieces
/// come back whole and survive a reopen; members keep their order through additions, removals
/// and reorders; a deletion reports the media no other collection holds; a media record's
/// deletion takes it out of every collection; guarded updates; the per-owner cap.
@Suite(.onTestThreads) struct CollectionStoreContractTests {
    let user = UserID("telegram:5472638766")!
    let date = Date(timeIntervalSince1970: 1_000)

    func media(_ stores: StudioStores, _ count: Int) async throws -> [String] {
        var ids: [String] = []
        for index in 0..<count {
            let record = MediaRecord(owner: user, kind: .image, format: "png", byteCount: 10, width: 1, height: 1,
                                     digest: String(repeating: String(index % 10), count: 64), source: "upload", createdAt: date)
            try await stores.media.insert(record, quota: nil)
            ids.append(record.id)
        }
        return ids
    }

    func series() -> GenerativeSeries {
        GenerativeSeries(supply: 3, prompt: "a cat [[eyes]]", traits: [TraitType(name: "eyes", values: [.init(name: "blue", prompt: "blue eyes")])], seed: 7)
    }

    @Test(arguments: StoreEngine.all)
    func collectionsAndPiecesComeBackWholeAndSurviveAReopen(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let first = MediaCollection(owner: user, name: "cats", description: "all the cats", series: series(), createdAt: date)
            let second = MediaCollection(owner: user, name: "dogs", createdAt: date.addingTimeInterval(10))
            try await stores.collections.insert(first, maxPerOwner: nil)
            try await stores.collections.insert(second, maxPerOwner: nil)
            var piece = CollectionPiece(collection: first.id, number: 1, traits: ["eyes": "blue"], prompt: "a cat blue eyes", seed: 42,
                                        configHash: first.series!.configHash, createdAt: date)
            try await stores.collections.insert(piece)
            await #expect(throws: StudioError.self) { try await stores.collections.insert(piece) }
            piece.state = .generating
            piece.job = "job-1"
            #expect(try await stores.collections.update(piece, expecting: [.planned]))
            #expect(try await stores.collections.update(piece, expecting: [.planned]) == false, "no longer planned")
            let reopened = try await stores.reopened()
            #expect(try await reopened.collections.collection(id: first.id) == first)
            #expect(try await reopened.collections.collections(of: user).map(\.id) == [second.id, first.id])
            #expect(try await reopened.collections.pieces(of: first.id) == [piece])
            #expect(try await reopened.collections.collection(id: "col-none") == nil)
        }
    }

    @Test(arguments: StoreEngine.all)
    func membersKeepTheirOrderAndADeletionReportsWhatNoOtherCollectionHolds(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let ids = try await media(stores, 4)
            let mine = MediaCollection(owner: user, name: "mine", createdAt: date), other = MediaCollection(owner: user, name: "other", createdAt: date)
            try await stores.collections.insert(mine, maxPerOwner: nil)
            try await stores.collections.insert(other, maxPerOwner: nil)
            let added = try await stores.collections.add(ids.map { ($0, .image) } + [(ids[0], .image)], to: mine.id, at: date)
            #expect(added.map(\.media) == ids && added.map(\.position) == [1, 2, 3, 4], "a duplicate is not added twice")
            #expect(try await stores.collections.remove(ids[1], from: mine.id))
            #expect(try await stores.collections.remove(ids[1], from: mine.id) == false)
            #expect(try await stores.collections.items(of: mine.id).map(\.position) == [1, 2, 3])
            #expect(try await stores.collections.reorder(mine.id, as: [ids[3], ids[0], ids[2]]))
            #expect(try await stores.collections.reorder(mine.id, as: [ids[3], ids[0]]) == false, "every member, exactly once")
            #expect(try await stores.collections.items(of: mine.id).map(\.media) == [ids[3], ids[0], ids[2]])
            _ = try await stores.collections.add([(ids[0], .image)], to: other.id, at: date)
            #expect(try await stores.collections.collections(holding: ids[0]).sorted() == [mine.id, other.id].sorted())
            // A media record deleted is out of every collection.
            _ = try await stores.media.delete(id: ids[2], owner: user)
            #expect(try await stores.collections.items(of: mine.id).map(\.media) == [ids[3], ids[0]])
            let alone = try await stores.collections.delete(id: mine.id)
            #expect(alone == [ids[3]], "ids[0] is still in the other collection")
            #expect(try await stores.collections.collection(id: mine.id) == nil)
            #expect(try await stores.collections.items(of: mine.id).isEmpty)
            #expect(try await stores.collections.delete(id: mine.id) == nil)
            #expect(try await stores.collections.items(of: other.id).map(\.media) == [ids[0]])
        }
    }

    @Test(arguments: StoreEngine.all)
    func cookStatesGuardUpdatesAndTheCapHolds(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            var collection = MediaCollection(owner: user, name: "series", series: series(), createdAt: date)
            try await stores.collections.insert(collection, maxPerOwner: 1)
            await #expect(throws: StudioError.self) {
                try await stores.collections.insert(MediaCollection(owner: user, name: "one too many", createdAt: date), maxPerOwner: 1)
            }
            collection.cook.state = .cooking
            #expect(try await stores.collections.update(collection, expecting: [.idle, .paused]))
            #expect(try await stores.collections.update(collection, expecting: [.idle, .paused]) == false)
            #expect(try await stores.collections.collections(cooking: [.cooking]).map(\.id) == [collection.id])
            #expect(try await stores.collections.collections(cooking: [.paused]).isEmpty)
        }
    }
}
