#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Where media bytes live, named by their ``ContentDigest``: the same bytes are stored once.
/// A local folder today; an object store can implement the same four calls.
public protocol ContentStore: Sendable {
    /// Stores `data` (nothing is written when the same bytes are already there) and returns its digest.
    /// A reader never sees a half-written file.
    @discardableResult
    func put(_ data: Data) async throws -> String
    /// The bytes named `digest`; `media_not_found` when they are not stored.
    func data(for digest: String) async throws -> Data
    /// Whether bytes named `digest` are stored.
    func contains(_ digest: String) async throws -> Bool
    /// Removes the bytes named `digest`, if present.
    func remove(_ digest: String) async throws
    /// Every digest stored before `date`: what a sweep for bytes no record names looks at
    /// (newer bytes may belong to an add still in progress).
    func digests(storedBefore date: Date) async throws -> [String]
    /// A local file holding the bytes named `digest`, when this store keeps them in one (so an
    /// image can be read as it is needed instead of whole); `nil` otherwise.
    func localFile(for digest: String) throws -> String?
    /// A path where an upload may be written as it arrives, on the same file system as the
    /// store when it has one (so that ``putFile(_:digest:)`` is a rename).
    func stagingPath() -> String
    /// Takes the file at `path`, whose bytes are named `digest`, into the store (the file is gone
    /// afterwards, or stays for the caller to remove when nothing was written).
    func putFile(_ path: String, digest: String) async throws
}

extension ContentStore {
    public func localFile(for digest: String) throws -> String? { nil }

    public func stagingPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-upload-\(UUID().uuidString)").path
    }

    /// Reads the file and stores its bytes: for stores with no file system of their own.
    public func putFile(_ path: String, digest: String) async throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MediaError(.storageFailed, "the staged upload at \(path) cannot be read")
        }
        try await put(data)
    }
}
