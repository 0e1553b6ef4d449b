import Foundation
import Media
import Studio
import Testing
import TestSupport
import Vips

/// Storing media: sniffed formats, content-addressed bytes stored once, quotas with their own
/// error and nothing left behind, deletion that keeps shared bytes, other users' ids unseen.
@Suite(.onTestThreads) struct MediaServiceTests {
    let user = MediaTestStores.user, other = MediaTestStores.other

    @Test func anUploadIsSniffedInspectedAndStoredUnderItsDigest() async throws {
        let folder = TemporaryDirectory("media-service")
        let service = try MediaTestStores.service(in: folder)
        let jpeg = try TestImages.photo(width: 120, height: 80).data(format: .jpeg)
        let record = try await service.add(jpeg, owner: user)
        #expect(record.format == "jpeg" && record.width == 120 && record.height == 80 && record.byteCount == jpeg.count)
        #expect(record.digest == ContentDigest.of(jpeg) && MediaRecord.isWellFormedID(record.id))
        #expect(MediaTestStores.storedFiles(in: folder) == ["\(record.digest.prefix(2))/\(record.digest)"])
        #expect(try await service.data(record.id, owner: user).data == jpeg)
        let info = try await service.info(record.id, owner: user)
        #expect(info.header.width == 120 && info.header.format == .jpeg)
    }

    @Test func theSameBytesAreStoredOnce() async throws {
        let folder = TemporaryDirectory("media-dedup")
        let service = try MediaTestStores.service(in: folder)
        let png = try TestImages.photo(width: 32, height: 32).data(format: .png)
        let first = try await service.add(png, owner: user)
        let second = try await service.add(png, owner: other)
        #expect(first.id != second.id && first.digest == second.digest)
        #expect(MediaTestStores.storedFiles(in: folder).count == 1)
        try await service.delete(first.id, owner: user)
        #expect(MediaTestStores.storedFiles(in: folder).count == 1, "the other record still uses the bytes")
        #expect(try await service.data(second.id, owner: other).data == png)
        try await service.delete(second.id, owner: other)
        #expect(MediaTestStores.storedFiles(in: folder).isEmpty)
    }

    @Test func theQuotaHasItsOwnErrorAndLeavesNothingBehind() async throws {
        let folder = TemporaryDirectory("media-quota")
        let small = try TestImages.photo(width: 16, height: 16).data(format: .png)
        let large = try TestImages.photo(width: 200, height: 200).data(format: .png)
        let service = try MediaTestStores.service(in: folder, policy: .init(quotaBytes: small.count + 10))
        _ = try await service.add(small, owner: user)
        await expectCode(.storageQuotaExceeded) { _ = try await service.add(large, owner: user) }
        #expect(MediaTestStores.storedFiles(in: folder).count == 1, "the refused bytes were removed")
        #expect(try await service.usage(owner: user) == MediaUsage(items: 1, bytes: small.count))
        // The quota is per user: another user starts from nothing.
        _ = try await service.add(small, owner: other)
    }

    @Test func badInputIsRefusedWithItsCode() async throws {
        let folder = TemporaryDirectory("media-bad")
        let service = try MediaTestStores.service(in: folder, policy: .init(limits: Limits(maxPixels: 1_000_000, maxInputBytes: 1 << 20)))
        let png = try TestImages.photo(width: 64, height: 64).data(format: .png)
        await expectCode(.unsupportedMedia) { _ = try await service.add(Data(), owner: user) }
        await expectCode(.unsupportedMedia) { _ = try await service.add(Data("<svg xmlns='http://www.w3.org/2000/svg'/>".utf8), owner: user) }
        await expectCode(.unsupportedMedia) { _ = try await service.add(BadInputs.corruptJPEG, owner: user) }
        await expectCode(.mediaTooLarge) { _ = try await service.add(BadInputs.png(png, claimingWidth: 50_000, height: 50_000), owner: user) }
        await expectCode(.mediaTooLarge) { _ = try await service.add(Data(count: 2 << 20), owner: user) }
        #expect(MediaTestStores.storedFiles(in: folder).isEmpty)
        #expect(try await service.list(owner: user).isEmpty)
    }

    @Test func anotherUsersMediaIsNotFound() async throws {
        let folder = TemporaryDirectory("media-owner")
        let service = try MediaTestStores.service(in: folder)
        let record = try await service.add(try TestImages.photo(width: 8, height: 8).data(format: .png), owner: user)
        await expectCode(.mediaNotFound) { _ = try await service.record(record.id, owner: other) }
        await expectCode(.mediaNotFound) { try await service.delete(record.id, owner: other) }
        await expectCode(.mediaNotFound) { _ = try await service.record("../../etc/passwd", owner: user) }
        await expectCode(.mediaNotFound) { _ = try await service.record(MediaRecord.newID(), owner: user) }
        #expect(try await service.list(owner: user).map(\.id) == [record.id])
        #expect(try await service.list(owner: other).isEmpty)
    }

    @Test func aTransformIsStoredAsDerivedFromItsInput() async throws {
        let folder = TemporaryDirectory("media-transform")
        let service = try MediaTestStores.service(in: folder)
        let input = try await service.add(try TestImages.photo(width: 400, height: 300).data(format: .jpeg), owner: user)
        let plan = try TransformPlan(parsing: "resize:200x200:fill/format:webp:q80")
        let output = try await service.transform(input.id, owner: user, plan: plan)
        #expect(output.derivedFrom == input.id && output.format == "webp" && output.width == 200 && output.height == 200)
        #expect(output.source == "process:resize:200x200:fill/format:webp:q80")
        let header = try await service.info(output.id, owner: user).header
        #expect(header.format == .webp && header.width == 200)
        await expectCode(.mediaNotFound) { _ = try await service.transform(input.id, owner: other, plan: plan) }
    }
}

/// Bytes a stopped process stored without recording are swept; recorded and recent bytes stay.
@Suite(.onTestThreads) struct MediaSweepTests {
    @Test func aSweepRemovesOnlyOldBytesNoRecordNames() async throws {
        let folder = TemporaryDirectory("media-sweep")
        let service = try MediaTestStores.service(in: folder)
        let content = service.dependencies.content
        let recorded = try await service.add(try TestImages.photo(width: 10, height: 10).data(format: .png), owner: MediaTestStores.user)
        let orphan = try await content.put(Data("left by a crash".utf8))
        let recent = try await content.put(Data("an add in progress".utf8))
        let old = Date().addingTimeInterval(-7_200)
        for digest in [recorded.digest, orphan] {
            let path = folder.path("media/objects/\(digest.prefix(2))/\(digest)")
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: path)
        }
        #expect(try await service.sweep() == 1)
        #expect(try await !content.contains(orphan))
        let (recentKept, recordedKept) = (try await content.contains(recent), try await content.contains(recorded.digest))
        #expect(recentKept && recordedKept)
        #expect(try await service.sweep() == 0)
    }

    @Test func staleTemporaryFilesAreRemovedWhenTheStoreOpens() throws {
        let folder = TemporaryDirectory("media-incoming")
        let store = folder.url.appendingPathComponent("media")
        _ = try LocalContentStore(folder: store)
        let stale = try folder.write(Data("half".utf8), to: "media/incoming/abc.1-2")
        let fresh = try folder.write(Data("half".utf8), to: "media/incoming/def.1-3")
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7_200)], ofItemAtPath: stale)
        _ = try LocalContentStore(folder: store)
        #expect(!FileManager.default.fileExists(atPath: stale) && FileManager.default.fileExists(atPath: fresh))
    }
}
