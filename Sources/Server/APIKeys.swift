import Crypto
public import Foundation
import Hummingbird
public import Studio

/// Makes, checks, lists and revokes API keys. A secret is `<id>.<64 hex digits>`; only its
/// SHA-256 is stored, and a presented secret is found by its id and compared by hash.
public struct APIKeys: Sendable {
    public let store: any APIKeyStore

    public init(store: any APIKeyStore) { self.store = store }

    /// A new key and its secret, which is shown now and never again.
    public func create(name: String, role: APIKey.Role, platform: String?, requestsPerMinute: Int = 600,
                       now: Date = Date()) async throws -> (key: APIKey, secret: String) {
        guard role == .admin || !(platform ?? "").isEmpty else {
            throw APIError(.badRequest, "invalid_params", "a client key needs the platform whose users it acts for (telegram, web, …)")
        }
        guard (1...100_000).contains(requestsPerMinute) else {
            throw APIError(.badRequest, "invalid_params", "requests per minute: expected 1 … 100000, received \(requestsPerMinute)")
        }
        let key = APIKey(id: "key-" + Self.randomHex(bytes: 6), name: name, role: role, platform: role == .admin ? nil : platform,
                         requestsPerMinute: requestsPerMinute, createdAt: now)
        let secret = key.id + "." + Self.randomHex(bytes: 32)
        try await store.insert(key, secretHash: Self.hash(secret))
        return (key, secret)
    }

    /// The live key `secret` belongs to; `unauthorized` for anything else.
    public func authenticate(_ secret: String) async throws -> APIKey {
        let parts = secret.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, parts[0].hasPrefix("key-"), parts[0].count <= 40,
              let (key, hash) = try await store.key(id: String(parts[0])), Self.equal(hash, Self.hash(secret)) else {
            throw APIError.unauthorized("the API key is not valid")
        }
        guard key.revokedAt == nil else { throw APIError.unauthorized("API key \(key.id) was revoked") }
        return key
    }

    public func list() async throws -> [APIKey] { try await store.keys() }

    /// Revokes key `id`; `not_found` for an unknown or already revoked key.
    public func revoke(_ id: String, now: Date = Date()) async throws {
        guard try await store.revoke(id: id, at: now) else { throw APIError.notFound("there is no live API key '\(id)'") }
    }

    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Compares two hashes in time that does not depend on where they differ.
    static func equal(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
