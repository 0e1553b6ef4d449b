#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// One member of a collection: a stored image or model, at its place in the collection's order.
public struct CollectionItem: Sendable, Codable, Equatable {
    public var media: String
    public var kind: MediaRecord.Kind
    /// 1-based place in the collection's order.
    public var position: Int
    public var addedAt: Date

    public init(media: String, kind: MediaRecord.Kind, position: Int, addedAt: Date) {
        self.media = media
        self.kind = kind
        self.position = position
        self.addedAt = addedAt
    }

    enum CodingKeys: String, CodingKey {
        case media, kind, position
        case addedAt = "added_at"
    }
}
