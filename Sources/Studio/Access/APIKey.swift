#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A key a client application uses with the HTTP API: what it may do and for whom. Only a hash
/// of the secret is kept; the secret itself is shown once, when the key is made.
public struct APIKey: Sendable, Codable, Equatable, Identifiable {
    public enum Role: String, Sendable, Codable, CaseIterable {
        /// Acts for the users of its platform (`telegram:*` for a `telegram` key).
        case client
        /// Acts for any user, and may review and grant.
        case admin
    }

    /// The public part of the key (`key-` and 12 hex digits), which the secret starts with.
    public var id: String
    public var name: String
    public var role: Role
    /// The platform whose users a client key acts for (the part of a user id before the colon).
    public var platform: String?
    /// Requests a minute the key may make.
    public var requestsPerMinute: Int
    public var createdAt: Date
    public var revokedAt: Date?

    public init(id: String, name: String, role: Role, platform: String?, requestsPerMinute: Int, createdAt: Date) {
        self.id = id
        self.name = name
        self.role = role
        self.platform = platform
        self.requestsPerMinute = requestsPerMinute
        self.createdAt = createdAt
    }

    /// Whether the key may act for `user`.
    public func mayAct(for user: UserID) -> Bool {
        revokedAt == nil && (role == .admin || user.platform == platform)
    }

    enum CodingKeys: String, CodingKey {
        case id, name, role, platform
        case requestsPerMinute = "requests_per_minute", createdAt = "created_at", revokedAt = "revoked_at"
    }
}
