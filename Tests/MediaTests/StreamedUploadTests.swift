import Foundation
import Media
import NIOCore
import Studio
import Testing
import TestSupport
import Vips

/// Uploads streamed to a staging file: the same record as bytes in memory, refused past the cap
/// or when not an image with nothing left behind, and stored once when the bytes repeat.
@Suite(.onTestThreads) struct StreamedUploadTests {
    /// `data` as chunks of `size` bytes, as an HTTP body arrives.
    func chunks(_ data: Data, size: Int = 16 * 1024) -> AsyncStream<ByteBuffer> {
        AsyncStream { continuation in
            var offset = 0
            while offset < data.count {
                continuation.yield(ByteBuffer(bytes: data[offset..<min(offset + size, data.count)]))
                offset += size
            }
            continuation.finish()
        }
    }

    func leftovers(_ folder: TemporaryDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.url.appendingPathComponent("media/incoming").path)
    }

    @Test func aStreamedUploadIsStoredAsTheSameBytesWouldBe() async throws {
        let folder = TemporaryDirectory("streamed-upload")
        let service = try MediaTestStores.service(in: folder)
        let png = try TestImages.photo(width: 300, height: 200, seed: 2).data(format: .png)
        let streamed = try await service.add(streaming: chunks(png), owner: MediaTestStores.user)
        #expect(streamed.format == "png" && streamed.width == 300 && streamed.height == 200 && streamed.byteCount == png.count)
        #expect(streamed.digest == ContentDigest.of(png))
        #expect(try await service.data(streamed.id, owner: MediaTestStores.user).data == png)
        // The same bytes again: a second record over the one stored file, and nothing staged is left.
        let again = try await service.add(streaming: chunks(png, size: 1_000), owner: MediaTestStores.user)
        #expect(again.digest == streamed.digest && again.id != streamed.id)
        #expect(try leftovers(folder).isEmpty)
    }

    @Test func anUploadPastTheCapOrNotAnImageIsRefusedAndLeavesNothing() async throws {
        let folder = TemporaryDirectory("streamed-upload")
        var limits = Limits.default
        limits.maxInputBytes = 64 * 1024
        let service = try MediaTestStores.service(in: folder, policy: .init(limits: limits))
        let big = try TestImages.photo(width: 800, height: 800, seed: 3).data(format: .png)
        #expect(big.count > limits.maxInputBytes)
        let code = await mediaErrorCode { _ = try await service.add(streaming: chunks(big), owner: MediaTestStores.user) }
        #expect(code == .mediaTooLarge)
        let text = await mediaErrorCode { _ = try await service.add(streaming: chunks(Data("not an image at all".utf8)), owner: MediaTestStores.user) }
        #expect(text == .unsupportedMedia)
        let empty = await mediaErrorCode { _ = try await service.add(streaming: chunks(Data()), owner: MediaTestStores.user) }
        #expect(empty == .unsupportedMedia)
        #expect(try leftovers(folder).isEmpty)
        #expect(try await service.list(owner: MediaTestStores.user).isEmpty)
    }

    func mediaErrorCode(_ body: () async throws -> Void) async -> MediaError.Code? {
        do {
            try await body()
            return nil
        } catch let error as MediaError {
            return error.code
        } catch {
            Issue.record("not a MediaError: \(error)")
            return nil
        }
    }
}
