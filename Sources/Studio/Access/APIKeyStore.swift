#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Storage for API keys: each with the hash of its secret (never the secret).
public protocol APIKeyStore: Sendable {
    /// Records a new key; its id is unique.
    func insert(_ key: APIKey, secretHash: String) async throws
    /// The key with `id` and its secret's hash.
    func key(id: String) async throws -> (key: APIKey, secretHash: String)?
    /// Every key, newest first (revoked ones included).
    func keys() async throws -> [APIKey]
    /// Marks the key revoked at `date`; returns whether a live key was revoked.
    func revoke(id: String, at date: Date) async throws -> Bool
}
