import PostgresNIO
public import Studio
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// ``CollectionStore`` on PostgreSQL: collections and pieces as JSONB rows with their state as a
/// column (guarded updates as for jobs and datasets), members as rows of their own. Membership
/// changes lock the collection's row first, so concurrent adds never hand out one position twice.
public struct PostgresCollectionStore: CollectionStore {
    let database: PostgresDatabase

    public func insert(_ collection: MediaCollection, maxPerOwner: Int?) async throws {
        let owner = collection.owner
        try await PostgresRows.insert(table: "collections", ownerColumn: "owner", owner: owner.description, id: collection.id,
                                      state: collection.cook.state.rawValue, definition: try StoredJSON.encode(collection),
                                      createdAt: collection.createdAt.timeIntervalSince1970,
                                      updatedAt: collection.updatedAt.timeIntervalSince1970, cap: maxPerOwner, refusal: { count in
                                          StudioError(.tooManyCollections, "\(owner) already has \(count) collection\(count == 1 ? "" : "s"), the most allowed; delete one first")
                                      }, in: database)
    }

    public func collection(id: String) async throws -> MediaCollection? {
        try await PostgresRows.records(MediaCollection.self, "SELECT definition::text FROM collections WHERE id = \(id)", in: database).first
    }

    public func collections(of owner: UserID) async throws -> [MediaCollection] {
        try await PostgresRows.records(MediaCollection.self, """
            SELECT definition::text FROM collections WHERE owner = \(owner.description) ORDER BY created_at DESC, id COLLATE "C" DESC
            """, in: database)
    }

    public func collections(cooking states: Set<MediaCollection.Cook.State>) async throws -> [MediaCollection] {
        let names = states.map(\.rawValue).sorted()
        guard !names.isEmpty else { return [] }
        return try await PostgresRows.records(MediaCollection.self, """
            SELECT definition::text FROM collections WHERE state = ANY(\(names)) ORDER BY created_at, id COLLATE "C"
            """, in: database)
    }

    public func update(_ collection: MediaCollection, expecting expected: Set<MediaCollection.Cook.State>) async throws -> Bool {
        try await PostgresRows.update(table: "collections", id: collection.id, state: collection.cook.state.rawValue,
                                      definition: try StoredJSON.encode(collection), updatedAt: collection.updatedAt.timeIntervalSince1970,
                                      expecting: expected.map(\.rawValue).sorted(), in: database)
    }

    public func delete(id: String) async throws -> [String]? {
        try await database.transaction { transaction in
            guard try await Self.lock(id, in: transaction) else { return nil }
            let alone = try await transaction.rows("""
                SELECT media_id FROM collection_items AS mine WHERE collection_id = \(id)
                AND NOT EXISTS (SELECT 1 FROM collection_items AS other WHERE other.media_id = mine.media_id AND other.collection_id <> mine.collection_id)
                ORDER BY position
                """).map { try $0.first(String.self) }
            try await transaction.execute("DELETE FROM collections WHERE id = \(id)")
            return alone
        }
    }

    public func items(of collection: String) async throws -> [CollectionItem] {
        try await database.rows(Self.itemsQuery(collection)).map(Self.item)
    }

    public func add(_ media: [(id: String, kind: MediaRecord.Kind)], to collection: String, at date: Date) async throws -> [CollectionItem] {
        let members = media.map { (id: $0.id, kind: $0.kind.rawValue) }
        return try await database.transaction { transaction in
            guard try await Self.lock(collection, in: transaction) else { return [] }
            var next = (try await transaction.rows("SELECT MAX(position) FROM collection_items WHERE collection_id = \(collection)")
                .first?.first(Int?.self) ?? nil ?? 0) + 1
            for member in members {
                let added = try await transaction.count("""
                    INSERT INTO collection_items (collection_id, media_id, kind, position, added_at)
                    VALUES (\(collection), \(member.id), \(member.kind), \(next), \(date.timeIntervalSince1970))
                    ON CONFLICT (collection_id, media_id) DO NOTHING RETURNING 1
                    """)
                if added == 1 { next += 1 }
            }
            return try await transaction.rows(Self.itemsQuery(collection)).map(Self.item)
        }
    }

    public func remove(_ media: String, from collection: String) async throws -> Bool {
        try await database.transaction { transaction in
            guard try await Self.lock(collection, in: transaction),
                  let position = try await transaction.rows("""
                      DELETE FROM collection_items WHERE collection_id = \(collection) AND media_id = \(media) RETURNING position
                      """).first?.first(Int.self) else { return false }
            try await transaction.execute("""
                UPDATE collection_items SET position = position - 1 WHERE collection_id = \(collection) AND position > \(position)
                """)
            return true
        }
    }

    public func reorder(_ collection: String, as media: [String]) async throws -> Bool {
        try await database.transaction { transaction in
            guard try await Self.lock(collection, in: transaction) else { return false }
            let current = try await transaction.rows("SELECT media_id FROM collection_items WHERE collection_id = \(collection)")
                .map { try $0.first(String.self) }
            guard Set(current) == Set(media), current.count == media.count else { return false }
            for (index, id) in media.enumerated() {
                try await transaction.execute("""
                    UPDATE collection_items SET position = \(index + 1) WHERE collection_id = \(collection) AND media_id = \(id)
                    """)
            }
            return true
        }
    }

    public func collections(holding media: String) async throws -> [String] {
        try await database.rows("SELECT collection_id FROM collection_items WHERE media_id = \(media) ORDER BY collection_id COLLATE \"C\"")
            .map { try $0.first(String.self) }
    }

    public func insert(_ piece: CollectionPiece) async throws {
        let definition = try StoredJSON.encode(piece)
        let inserted = try await database.rows("""
            INSERT INTO collection_pieces (collection_id, number, state, definition, updated_at)
            VALUES (\(piece.collection), \(piece.number), \(piece.state.rawValue), \(definition)::jsonb, \(piece.updatedAt.timeIntervalSince1970))
            ON CONFLICT (collection_id, number) DO NOTHING RETURNING 1
            """).count
        guard inserted == 1 else {
            throw StudioError(.collectionStateConflict, "collection \(piece.collection) already has a piece \(piece.number)")
        }
    }

    public func pieces(of collection: String) async throws -> [CollectionPiece] {
        try await PostgresRows.records(CollectionPiece.self, """
            SELECT definition::text FROM collection_pieces WHERE collection_id = \(collection) ORDER BY number
            """, in: database)
    }

    public func update(_ piece: CollectionPiece, expecting expected: Set<CollectionPiece.State>) async throws -> Bool {
        let names = expected.map(\.rawValue).sorted()
        guard !names.isEmpty else { return false }
        let definition = try StoredJSON.encode(piece)
        return try await database.rows("""
            UPDATE collection_pieces SET state = \(piece.state.rawValue), definition = \(definition)::jsonb,
              updated_at = \(piece.updatedAt.timeIntervalSince1970)
            WHERE collection_id = \(piece.collection) AND number = \(piece.number) AND state = ANY(\(names)) RETURNING 1
            """).count == 1
    }

    /// Locks the collection's row for the transaction; returns whether it exists.
    private static func lock(_ collection: String, in transaction: PostgresTransaction) async throws -> Bool {
        try await transaction.count("SELECT 1 FROM collections WHERE id = \(collection) FOR UPDATE") == 1
    }

    private static func itemsQuery(_ collection: String) -> PostgresQuery {
        "SELECT media_id, kind, position, added_at FROM collection_items WHERE collection_id = \(collection) ORDER BY position"
    }

    private static func item(_ row: PostgresRecord) throws -> CollectionItem {
        CollectionItem(media: try row["media_id"], kind: MediaRecord.Kind(rawValue: try row["kind"]) ?? .image,
                       position: try row["position"], addedAt: Date(timeIntervalSince1970: try row["added_at"]))
    }
}
