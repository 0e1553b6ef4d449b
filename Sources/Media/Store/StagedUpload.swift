import Crypto
import NIOCore
import NIOPosix
import SystemPackage
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An upload written to a staging file as its chunks arrive: digested on the way, refused the
/// moment it passes its cap, flushed to disk at the end. Memory holds one chunk at a time, never
/// the upload; the file writes run on NIO's blocking-I/O threads.
struct StagedUpload {
    let path: String
    let byteCount: Int
    let digest: String

    /// Writes `chunks` to `path`; `media_too_large` (and no file left) past `limit` bytes.
    static func write<Chunks: AsyncSequence>(_ chunks: Chunks, to path: String, limit: Int) async throws -> StagedUpload
    where Chunks.Element == ByteBuffer {
        let descriptor: SystemPackage.FileDescriptor
        do {
            descriptor = try SystemPackage.FileDescriptor.open(FilePath(path), .writeOnly, options: [.create, .exclusiveCreate],
                                                 permissions: [.ownerReadWrite, .groupRead, .otherRead])
        } catch {
            throw MediaError(.storageFailed, "the upload cannot be staged: \(error)")
        }
        var hasher = SHA256()
        var count = 0
        do {
            for try await chunk in chunks {
                count += chunk.readableBytes
                guard count <= limit else {
                    throw MediaError(.mediaTooLarge, "the upload is larger than the limit of \(limit) bytes")
                }
                chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                try await NIOThreadPool.singleton.runIfActive { _ = try descriptor.writeAll(chunk.readableBytesView) }
            }
            try await NIOThreadPool.singleton.runIfActive {
                guard fsync(descriptor.rawValue) == 0 else { throw Errno(rawValue: errno) }
                try descriptor.close()
            }
        } catch {
            try? descriptor.close()
            unlink(path)
            if error is MediaError { throw error }
            throw MediaError(.storageFailed, "the upload could not be staged: \(error)")
        }
        return StagedUpload(path: path, byteCount: count, digest: ContentDigest.hex(hasher.finalize()))
    }
}
