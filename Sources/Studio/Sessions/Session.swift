#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// The per-user state kept across platforms (docs/ARCHITECTURE.md, Sessions).
public struct Session: Sendable, Codable, Equatable {
    public var user: UserID
    public var preferences: GenerationSettings
    /// The standing last recorded, and when it was checked (`nil`: never).
    public var standing: Int
    public var standingCheckedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(user: UserID, now: Date) {
        self.user = user
        preferences = .defaults
        standing = 0
        standingCheckedAt = nil
        createdAt = now
        updatedAt = now
    }
}
