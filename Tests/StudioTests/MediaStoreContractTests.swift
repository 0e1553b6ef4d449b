import Foundation
import Studio
import TestSupport
import Testing
import StudioTestSupport

/// The media part of the store contract, run against every engine: records by owner newest
/// first, a quota that concurrent inserts cannot overrun, deletion that reports shared bytes.
@Suite(.onTestThreads) struct MediaStoreContractTests {
    let user = UserID("telegram:5472638766")!
    let other = UserID("web:alice")!

    func record(_ owner: UserID, digest: String = String(repeating: "a", count: 64), bytes: Int = 100,
                at seconds: Double = 1_000, derivedFrom: String? = nil) -> MediaRecord {
        MediaRecord(owner: owner, kind: .image, format: "png", byteCount: bytes, width: 10, height: 20, digest: digest,
                    source: "upload", derivedFrom: derivedFrom, createdAt: Date(timeIntervalSince1970: seconds))
    }

    @Test(arguments: StoreEngine.all)
    func recordsComeBackWholeAndNewestFirst(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let first = record(user, at: 1_000), second = record(user, at: 2_000, derivedFrom: first.id)
            try await stores.media.insert(first, quota: nil)
            try await stores.media.insert(second, quota: nil)
            try await stores.media.insert(record(other), quota: nil)
            #expect(try await stores.media.record(id: second.id) == second)
            #expect(try await stores.media.records(of: user, limit: 10, offset: 0) == [second, first])
            #expect(try await stores.media.records(of: user, limit: 1, offset: 1) == [first])
            #expect(try await stores.media.record(id: MediaRecord.newID()) == nil)
            #expect(try await stores.media.usage(of: user) == MediaUsage(items: 2, bytes: 200))
            let reopened = try await stores.reopened()
            #expect(try await reopened.media.record(id: first.id) == first)
        }
    }

    @Test(arguments: StoreEngine.all)
    func concurrentInsertsNeverPassTheQuota(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let media = stores.media, user = user
            let stored = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<10 {
                    group.addTask {
                        let item = MediaRecord(owner: user, kind: .image, format: "png", byteCount: 300, width: 1, height: 1,
                                               digest: String(repeating: "\(index)", count: 64), source: "upload",
                                               createdAt: Date(timeIntervalSince1970: 1_000))
                        do { try await media.insert(item, quota: 1_000); return true } catch { return false }
                    }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(stored == 3)
            #expect(try await media.usage(of: user).bytes == 900)
            await #expect(throws: StudioError.self) { try await media.insert(record(user, bytes: 101), quota: 1_000) }
            do {
                try await media.insert(record(user, bytes: 101), quota: 1_000)
            } catch let error as StudioError {
                #expect(error.code == .storageQuotaExceeded && error.available == 100 && error.required == 101)
            }
            try await media.insert(record(user, bytes: 100), quota: 1_000)
            try await media.insert(record(other, bytes: 1_000), quota: 1_000)
        }
    }

    @Test(arguments: StoreEngine.all)
    func deletingSaysWhetherTheBytesAreStillUsed(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let shared = String(repeating: "b", count: 64)
            let mine = record(user, digest: shared), theirs = record(other, digest: shared)
            try await stores.media.insert(mine, quota: nil)
            try await stores.media.insert(theirs, quota: nil)
            #expect(try await stores.media.delete(id: mine.id, owner: other) == nil)
            #expect(try await stores.media.delete(id: mine.id, owner: user) == MediaDeletion(record: mine, bytesStillUsed: true))
            #expect(try await stores.media.delete(id: mine.id, owner: user) == nil)
            #expect(try await stores.media.isReferenced(digest: shared))
            #expect(try await stores.media.delete(id: theirs.id, owner: other) == MediaDeletion(record: theirs, bytesStillUsed: false))
            #expect(try await !stores.media.isReferenced(digest: shared))
        }
    }
}
