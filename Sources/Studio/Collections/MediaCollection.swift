#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A user's named set of images and models (stored media), in an order they choose; and, when it
/// has a ``GenerativeSeries``, the series whose cooked pieces become its images.
public struct MediaCollection: Sendable, Codable, Equatable, Identifiable {
    /// Where a generative collection's cook stands.
    public struct Cook: Sendable, Codable, Equatable {
        public enum State: String, Sendable, Codable, CaseIterable {
            /// Never started.
            case idle
            /// Making pieces (or to be resumed after a restart).
            case cooking
            /// Paused by the owner: the piece in progress finished, no new one started.
            case paused
            /// Stopped by the owner or for a reason (``reason``): credits ran low, failures.
            case stopped
            /// The supply is reached.
            case finished
        }

        public var state: State
        /// Why the cook stopped or finished, in words a person reads.
        public var reason: String?
        /// The stable code of what stopped it (`not_enough_points`, …), when an error did.
        public var code: String?

        public init(state: State = .idle, reason: String? = nil, code: String? = nil) {
            self.state = state
            self.reason = reason
            self.code = code
        }
    }

    /// Longest name, in characters.
    public static let maximumNameLength = 100
    /// Longest description, in characters.
    public static let maximumDescriptionLength = 2_000

    public var id: String
    public var owner: UserID
    public var name: String
    public var description: String
    public var series: GenerativeSeries?
    public var cook: Cook
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String = MediaCollection.newID(), owner: UserID, name: String, description: String = "",
                series: GenerativeSeries? = nil, createdAt: Date) {
        self.id = id
        self.owner = owner
        self.name = name
        self.description = description
        self.series = series
        cook = Cook()
        self.createdAt = createdAt
        updatedAt = createdAt
    }

    /// A fresh id: `col-` and a lowercase UUID.
    public static func newID() -> String { "col-\(UUID().uuidString.lowercased())" }

    enum CodingKeys: String, CodingKey {
        case id, owner, name, description, series, cook
        case createdAt = "created_at", updatedAt = "updated_at"
    }
}
