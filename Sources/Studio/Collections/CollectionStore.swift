#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Storage for collections, their members and their pieces. Narrow and async; membership
/// changes and piece updates are single transactions, guarded where a concurrent change could
/// overtake them.
public protocol CollectionStore: Sendable {
    /// Records a new collection. With `maxPerOwner`, refused with `too_many_collections` when the
    /// owner already has that many; the count and the insert are one transaction. `duplicate_id`
    /// when one with that id exists.
    func insert(_ collection: MediaCollection, maxPerOwner: Int?) async throws
    func collection(id: String) async throws -> MediaCollection?
    /// The owner's collections, newest first.
    func collections(of owner: UserID) async throws -> [MediaCollection]
    /// Every collection whose cook is in one of `states`: what a restart resumes.
    func collections(cooking states: Set<MediaCollection.Cook.State>) async throws -> [MediaCollection]
    /// Writes `collection` only if its stored cook state is one of `expected`; returns whether it did.
    func update(_ collection: MediaCollection, expecting expected: Set<MediaCollection.Cook.State>) async throws -> Bool
    /// Removes the collection with its members and pieces, and returns the media it held that no
    /// other collection holds, in one transaction. `nil` when there is no such collection.
    func delete(id: String) async throws -> [String]?

    /// The members in their order.
    func items(of collection: String) async throws -> [CollectionItem]
    /// Appends the media not already members, in the order given; returns the members after.
    func add(_ media: [(id: String, kind: MediaRecord.Kind)], to collection: String, at date: Date) async throws -> [CollectionItem]
    /// Removes a member and closes the gap in the order; returns whether it was one.
    func remove(_ media: String, from collection: String) async throws -> Bool
    /// Puts the members in the order of `media`, which must name every member exactly once;
    /// returns whether it did.
    func reorder(_ collection: String, as media: [String]) async throws -> Bool
    /// The ids of the collections that hold `media`.
    func collections(holding media: String) async throws -> [String]

    /// Records a new piece; refused with `collection_state_conflict` when the number is taken.
    func insert(_ piece: CollectionPiece) async throws
    /// The pieces by number.
    func pieces(of collection: String) async throws -> [CollectionPiece]
    /// Writes `piece` only if its stored state is one of `expected`; returns whether it did.
    func update(_ piece: CollectionPiece, expecting expected: Set<CollectionPiece.State>) async throws -> Bool
}
