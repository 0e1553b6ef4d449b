#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
public import NIOCore
public import Studio
public import Vips
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Media service: takes media in (uploaded bytes, a URL, a stored id), inspects it with the
/// imaging core's limits, transforms it with a ``TransformPlan`` on the worker pool, and stores
/// it: bytes once per content in a ``ContentStore``, a ``MediaRecord`` per item in a
/// ``MediaStore``, within each user's quota.
///
/// Every id is looked up for its owner: another user's media is `media_not_found`, as is a
/// malformed id. Nothing half-stored is left behind: bytes that did not get a record are
/// removed again unless another record uses them.
public struct MediaService: Sendable {
    /// What the service is built on. The composition root picks the implementations.
    public struct Dependencies: Sendable {
        public var records: any MediaStore
        public var content: any ContentStore
        public var fetcher: MediaFetcher
        public var workers: ImageWorkerPool
        public var clock: any StudioClock

        public init(records: any MediaStore, content: any ContentStore, fetcher: MediaFetcher = MediaFetcher(),
                    workers: ImageWorkerPool = .shared, clock: any StudioClock = SystemClock()) {
            self.records = records
            self.content = content
            self.fetcher = fetcher
            self.workers = workers
            self.clock = clock
        }
    }

    /// The caps every input and output meets.
    public struct Policy: Sendable, Equatable {
        /// Pixels, bytes and frames of any image taken in. Default ``Limits/default`` (100 MP, 100 MiB, 1 000 frames).
        public var limits: Limits
        /// Bytes one user may store; `nil`: no quota. Default 1 GiB.
        public var quotaBytes: Int?

        public init(limits: Limits = .default, quotaBytes: Int? = 1 << 30) {
            self.limits = limits
            self.quotaBytes = quotaBytes
        }
    }

    public let dependencies: Dependencies
    public let policy: Policy
    private let locks = DigestLocks()

    public init(_ dependencies: Dependencies, policy: Policy = Policy()) {
        self.dependencies = dependencies
        self.policy = policy
    }

    // MARK: Taking media in

    /// Stores uploaded (or generated) image bytes for `owner`. The format is sniffed from the
    /// bytes, the header checked against the limits; nothing is decoded beyond the header.
    public func add(_ data: Data, owner: UserID, source: String = "upload", derivedFrom: String? = nil) async throws -> MediaRecord {
        let header = try await inspect(data)
        guard let format = header.format else {
            throw MediaError(.unsupportedMedia, "the image's format cannot be stored")
        }
        return try await store(data, owner: owner, kind: .image, format: format.rawValue, width: header.width,
                               height: header.height, source: source, derivedFrom: derivedFrom)
    }

    /// Stores an upload streamed in `chunks` (an HTTP request body): written to a staging file as
    /// it arrives and refused with `media_too_large` the moment it passes the byte limit, its
    /// header read by libvips from the file, the file then renamed into the content store. The
    /// upload is never whole in memory. Nothing is left behind when it is refused.
    public func add<Chunks: AsyncSequence>(streaming chunks: Chunks, owner: UserID, source: String = "upload") async throws -> MediaRecord
    where Chunks.Element == ByteBuffer {
        let content = dependencies.content, limits = policy.limits
        let staged = try await StagedUpload.write(chunks, to: content.stagingPath(), limit: limits.maxInputBytes)
        defer { unlink(staged.path) }
        guard staged.byteCount > 0 else { throw MediaError(.unsupportedMedia, "the media is empty") }
        let header = try await header(ofFile: staged.path)
        guard let format = header.format else { throw MediaError(.unsupportedMedia, "the image's format cannot be stored") }
        let record = MediaRecord(owner: owner, kind: .image, format: format.rawValue, byteCount: staged.byteCount, width: header.width,
                                 height: header.height, digest: staged.digest, source: source, createdAt: dependencies.clock.now())
        return try await insert(record) { try await content.putFile(staged.path, digest: staged.digest) }
    }

    /// Fetches `url` (see ``MediaFetcher``) and stores what it returns.
    public func add(from url: URL, owner: UserID) async throws -> MediaRecord {
        let fetched = try await dependencies.fetcher.fetch(url)
        return try await add(fetched.data, owner: owner, source: "url:\(url.absoluteString)")
    }

    /// Stores bytes that are not an image (a trained model) as they are.
    public func addFile(_ data: Data, owner: UserID, kind: MediaRecord.Kind, format: String, source: String,
                        derivedFrom: String? = nil) async throws -> MediaRecord {
        guard data.count <= policy.limits.maxInputBytes else {
            throw MediaError(.mediaTooLarge, "the file has \(data.count) bytes, more than the limit of \(policy.limits.maxInputBytes)")
        }
        return try await store(data, owner: owner, kind: kind, format: format, width: nil, height: nil,
                               source: source, derivedFrom: derivedFrom)
    }

    // MARK: Reading

    /// The header of image bytes, checked against the limits (`media_too_large`,
    /// `unsupported_media`); no pixel is decoded.
    public func inspect(_ data: Data) async throws -> ImageHeader {
        let limits = policy.limits
        guard !data.isEmpty else { throw MediaError(.unsupportedMedia, "the media is empty") }
        guard data.count <= limits.maxInputBytes else {
            throw MediaError(.mediaTooLarge, "the media has \(data.count) bytes, more than the limit of \(limits.maxInputBytes)")
        }
        return try await dependencies.workers.run {
            do {
                return try Image(data: data, options: LoadOptions(limits: limits, allPages: true)).header
            } catch let error as VipsError {
                throw MediaError(vips: error)
            }
        }
    }

    /// `owner`'s record `id`; `media_not_found` for a malformed id, an unknown one, or another user's.
    public func record(_ id: String, owner: UserID) async throws -> MediaRecord {
        guard MediaRecord.isWellFormedID(id), let record = try await dependencies.records.record(id: id), record.owner == owner else {
            throw MediaError(.mediaNotFound, "there is no media '\(id)' of \(owner)")
        }
        return record
    }

    /// Record `id`, whoever's: for a front end that checks who may see it itself
    /// (`media_not_found` when there is none).
    public func record(_ id: String) async throws -> MediaRecord {
        guard MediaRecord.isWellFormedID(id), let record = try await dependencies.records.record(id: id) else {
            throw MediaError(.mediaNotFound, "there is no media '\(id)'")
        }
        return record
    }

    /// The stored bytes of `owner`'s record `id`.
    public func data(_ id: String, owner: UserID) async throws -> (record: MediaRecord, data: Data) {
        let record = try await record(id, owner: owner)
        return (record, try await dependencies.content.data(for: record.digest))
    }

    /// The file that holds `record`'s bytes, when the content store keeps a local one (it can
    /// then be served in chunks, never whole in memory); `nil` for a store that does not.
    public func localFile(of record: MediaRecord) throws -> String? {
        try dependencies.content.localFile(for: record.digest)
    }

    /// The record and its header, read from the stored file when the store keeps one (libvips
    /// reads the header, not the whole file).
    public func info(_ id: String, owner: UserID) async throws -> MediaInfo {
        let record = try await record(id, owner: owner)
        guard record.kind == .image else {
            throw MediaError(.unsupportedMedia, "media \(id) is a \(record.kind.rawValue), not an image")
        }
        if let file = try localFile(of: record) { return MediaInfo(record: record, header: try await header(ofFile: file)) }
        return MediaInfo(record: record, header: try await inspect(try await dependencies.content.data(for: record.digest)))
    }

    /// The header libvips reads from the image file at `path`, within the limits.
    private func header(ofFile path: String) async throws -> ImageHeader {
        let limits = policy.limits
        return try await dependencies.workers.run {
            do {
                return try Image(contentsOfFile: path, options: LoadOptions(limits: limits, allPages: true)).header
            } catch let error as VipsError {
                throw MediaError(vips: error)
            }
        }
    }

    /// `owner`'s media, newest first.
    public func list(owner: UserID, limit: Int = 50, offset: Int = 0) async throws -> [MediaRecord] {
        guard (1...1_000).contains(limit), offset >= 0 else {
            throw MediaError(.invalidParams, "a page is 1 … 1000 items from an offset of 0 or more, not \(limit) from \(offset)")
        }
        return try await dependencies.records.records(of: owner, limit: limit, offset: offset)
    }

    /// What `owner` stores.
    public func usage(owner: UserID) async throws -> MediaUsage {
        try await dependencies.records.usage(of: owner)
    }

    // MARK: Changing

    /// Runs `plan` on `owner`'s image `id` and stores the result as a new record derived from it.
    public func transform(_ id: String, owner: UserID, plan: TransformPlan) async throws -> MediaRecord {
        let record = try await record(id, owner: owner)
        let output = try await run(plan, onStored: record)
        return try await store(output.data, owner: owner, kind: .image, format: output.format.rawValue,
                               width: output.width, height: output.height, source: "process:\(plan)", derivedFrom: record.id)
    }

    /// Runs `plan` on the stored image `record` on the worker pool, without storing anything. A
    /// store that keeps a local file is read as the pipeline needs it (a JPEG shrunk on load reads
    /// a fraction of its pixels), never whole into memory.
    public func run(_ plan: TransformPlan, onStored record: MediaRecord) async throws -> TransformOutput {
        guard let file = try dependencies.content.localFile(for: record.digest) else {
            return try await run(plan, on: try await dependencies.content.data(for: record.digest))
        }
        let limits = policy.limits
        return try await dependencies.workers.run { try plan.run(onFile: file, limits: limits) }
    }

    /// Runs `plan` on image bytes on the worker pool, without storing anything.
    public func run(_ plan: TransformPlan, on data: Data) async throws -> TransformOutput {
        let limits = policy.limits
        guard data.count <= limits.maxInputBytes else {
            throw MediaError(.mediaTooLarge, "the media has \(data.count) bytes, more than the limit of \(limits.maxInputBytes)")
        }
        return try await dependencies.workers.run { try plan.run(on: data, limits: limits) }
    }

    /// Deletes `owner`'s record `id`; its bytes go too unless another record uses them.
    public func delete(_ id: String, owner: UserID) async throws {
        guard MediaRecord.isWellFormedID(id), let found = try await dependencies.records.record(id: id), found.owner == owner else {
            throw MediaError(.mediaNotFound, "there is no media '\(id)' of \(owner)")
        }
        let (records, content) = (dependencies.records, dependencies.content)
        try await locks.withLock(found.digest) {
            guard let deletion = try await records.delete(id: id, owner: owner) else { return }
            if !deletion.bytesStillUsed { try await content.remove(deletion.record.digest) }
        }
    }

    /// Removes stored bytes that no record names and that are older than `age` (left by a process
    /// that stopped between storing bytes and recording them); returns how many went.
    @discardableResult
    public func sweep(olderThan age: Duration = .seconds(3_600)) async throws -> Int {
        let (records, content) = (dependencies.records, dependencies.content)
        // Files carry the system's time, whatever clock the records use.
        let cutoff = Date().addingTimeInterval(-Double(age.components.seconds))
        var removed = 0
        for digest in try await content.digests(storedBefore: cutoff) {
            let gone = try await locks.withLock(digest) {
                guard try await !records.isReferenced(digest: digest) else { return false }
                try await content.remove(digest)
                return true
            }
            if gone { removed += 1 }
        }
        return removed
    }

    private func store(_ data: Data, owner: UserID, kind: MediaRecord.Kind, format: String, width: Int?, height: Int?,
                       source: String, derivedFrom: String?) async throws -> MediaRecord {
        let content = dependencies.content
        let record = MediaRecord(owner: owner, kind: kind, format: format, byteCount: data.count, width: width, height: height,
                                 digest: ContentDigest.of(data), source: source, derivedFrom: derivedFrom, createdAt: dependencies.clock.now())
        return try await insert(record) { try await content.put(data) }
    }

    /// Puts the bytes in place (`put`) and inserts the record under the digest's lock; bytes no
    /// record names are removed again when the insert is refused.
    private func insert(_ record: MediaRecord, put: @escaping @Sendable () async throws -> Void) async throws -> MediaRecord {
        let (records, content) = (dependencies.records, dependencies.content)
        let digest = record.digest, quota = policy.quotaBytes
        return try await locks.withLock(digest) {
            try await put()
            do {
                try await records.insert(record, quota: quota)
            } catch {
                if try await !records.isReferenced(digest: digest) { try? await content.remove(digest) }
                if let refused = error as? StudioError, refused.code == .storageQuotaExceeded {
                    throw MediaError(.storageQuotaExceeded, refused.message)
                }
                throw error
            }
            return record
        }
    }
}
