import NIOPosix
import SystemPackage
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A ``ContentStore`` in a local folder: `objects/ab/abcdef…` (the first two hex digits as a
/// sub-folder). Each file is written under a temporary name in `incoming/`, flushed to disk and
/// renamed into place, so a crash leaves either the whole file or none. File work runs on NIO's
/// blocking-I/O threads, never on Swift's cooperative pool.
public struct LocalContentStore: ContentStore {
    /// The store's folder.
    public let folder: URL

    /// Opens (creating) the store in `folder`. Temporary files older than an hour in `incoming/`
    /// (left by a process that stopped in the middle of a write) are removed.
    public init(folder: URL) throws {
        self.folder = folder
        for sub in ["objects", "incoming"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        let incoming = folder.appendingPathComponent("incoming")
        let stale = Date().addingTimeInterval(-3_600)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: incoming.path)) ?? [] {
            let path = incoming.appendingPathComponent(name).path
            if let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date, modified < stale {
                unlink(path)
            }
        }
    }

    /// Where the bytes named `digest` are (or would be) kept.
    public func path(of digest: String) throws -> String {
        guard ContentDigest.isWellFormed(digest) else {
            throw MediaError(.mediaNotFound, "'\(digest)' is not a content digest")
        }
        return folder.appendingPathComponent("objects").appendingPathComponent(String(digest.prefix(2)))
            .appendingPathComponent(digest).path
    }

    public func localFile(for digest: String) throws -> String? { try path(of: digest) }

    public func put(_ data: Data) async throws -> String {
        let digest = ContentDigest.of(data)
        let path = try path(of: digest), incoming = folder.appendingPathComponent("incoming").path
        let shard = folder.appendingPathComponent("objects").appendingPathComponent(String(digest.prefix(2))).path
        try await NIOThreadPool.singleton.runIfActive {
            if FileManager.default.fileExists(atPath: path) { return }
            try FileManager.default.createDirectory(atPath: shard, withIntermediateDirectories: true)
            let temporary = "\(incoming)/\(digest).\(getpid())-\(UInt32.random(in: .min ... .max))"
            do {
                let descriptor = try FileDescriptor.open(FilePath(temporary), .writeOnly,
                                                         options: [.create, .exclusiveCreate], permissions: [.ownerReadWrite, .groupRead, .otherRead])
                try descriptor.closeAfter {
                    _ = try descriptor.writeAll(data)
                    guard fsync(descriptor.rawValue) == 0 else { throw Errno(rawValue: errno) }
                }
                guard rename(temporary, path) == 0 else { throw Errno(rawValue: errno) }
            } catch {
                unlink(temporary)
                throw MediaError(.storageFailed, "the media bytes could not be stored: \(error)")
            }
        }
        return digest
    }

    /// `incoming/upload-…` in the store: staged uploads are renamed into place, never copied.
    public func stagingPath() -> String {
        folder.appendingPathComponent("incoming").appendingPathComponent("upload-\(UUID().uuidString.lowercased())").path
    }

    public func putFile(_ staged: String, digest: String) async throws {
        let path = try path(of: digest)
        let shard = folder.appendingPathComponent("objects").appendingPathComponent(String(digest.prefix(2))).path
        try await NIOThreadPool.singleton.runIfActive {
            if FileManager.default.fileExists(atPath: path) {
                unlink(staged)
                return
            }
            do {
                try FileManager.default.createDirectory(atPath: shard, withIntermediateDirectories: true)
                guard rename(staged, path) == 0 else { throw Errno(rawValue: errno) }
            } catch {
                throw MediaError(.storageFailed, "the media bytes could not be stored: \(error)")
            }
        }
    }

    public func data(for digest: String) async throws -> Data {
        let path = try path(of: digest)
        return try await NIOThreadPool.singleton.runIfActive {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw MediaError(.mediaNotFound, "the bytes of \(digest) are not in the content store")
            }
            return data
        }
    }

    public func contains(_ digest: String) async throws -> Bool {
        let path = try path(of: digest)
        return try await NIOThreadPool.singleton.runIfActive { FileManager.default.fileExists(atPath: path) }
    }

    public func digests(storedBefore date: Date) async throws -> [String] {
        let objects = folder.appendingPathComponent("objects")
        return try await NIOThreadPool.singleton.runIfActive {
            var found: [String] = []
            for shard in (try? FileManager.default.contentsOfDirectory(atPath: objects.path)) ?? [] {
                let folder = objects.appendingPathComponent(shard)
                for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where ContentDigest.isWellFormed(name) {
                    let attributes = try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path)
                    if let modified = attributes?[.modificationDate] as? Date, modified < date { found.append(name) }
                }
            }
            return found.sorted()
        }
    }

    public func remove(_ digest: String) async throws {
        let path = try path(of: digest)
        try await NIOThreadPool.singleton.runIfActive { _ = unlink(path) }
    }
}
