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
}

extension ContentStore {
    public func localFile(for digest: String) throws -> String? { nil }
}
