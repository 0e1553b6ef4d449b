import GRDB
public import Studio
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// ``CollectionStore`` on SQLite: collections and pieces as JSON rows with their state as a
/// column (guarded updates as for jobs and datasets), members as rows of their own so that
/// "which collections hold this media" is one indexed query. Deleting a collection cascades to
/// its members and pieces; deleting a media record removes it from every collection.
public struct SQLiteCollectionStore: CollectionStore {
    let writer: any DatabaseWriter

    public func insert(_ collection: MediaCollection, maxPerOwner: Int?) async throws {
        let definition = try StoredJSON.encode(collection)
        try await writer.write { db in
            try StateGuardedRows.insert(db, table: "collections", ownerColumn: "owner", owner: collection.owner.description, id: collection.id,
                                        state: collection.cook.state.rawValue, definition: definition,
                                        createdAt: collection.createdAt.timeIntervalSince1970,
                                        updatedAt: collection.updatedAt.timeIntervalSince1970, cap: maxPerOwner) { count in
                StudioError(.tooManyCollections, "\(collection.owner) already has \(count) collection\(count == 1 ? "" : "s"), the most allowed; delete one first")
            }
        }
    }

    public func collection(id: String) async throws -> MediaCollection? {
        try await writer.read { db in
            try String.fetchOne(db, sql: "SELECT definition FROM collections WHERE id = ?", arguments: [id])
                .map { try StoredJSON.decode(MediaCollection.self, from: $0) }
        }
    }

    public func collections(of owner: UserID) async throws -> [MediaCollection] {
        try await writer.read { db in
            try String.fetchAll(db, sql: "SELECT definition FROM collections WHERE owner = ? ORDER BY created_at DESC, id DESC",
                                arguments: [owner.description]).map { try StoredJSON.decode(MediaCollection.self, from: $0) }
        }
    }

    public func collections(cooking states: Set<MediaCollection.Cook.State>) async throws -> [MediaCollection] {
        let names = states.map(\.rawValue).sorted()
        guard !names.isEmpty else { return [] }
        return try await writer.read { db in
            try String.fetchAll(db, sql: "SELECT definition FROM collections WHERE state IN (\(Self.placeholders(names.count))) ORDER BY created_at, id",
                                arguments: StatementArguments(names)).map { try StoredJSON.decode(MediaCollection.self, from: $0) }
        }
    }

    public func update(_ collection: MediaCollection, expecting expected: Set<MediaCollection.Cook.State>) async throws -> Bool {
        let definition = try StoredJSON.encode(collection)
        return try await writer.write { db in
            try StateGuardedRows.update(db, table: "collections", id: collection.id, state: collection.cook.state.rawValue, definition: definition,
                                        updatedAt: collection.updatedAt.timeIntervalSince1970, expecting: expected.map(\.rawValue).sorted())
        }
    }

    public func delete(id: String) async throws -> [String]? {
        try await writer.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM collections WHERE id = ?", arguments: [id]) == true else { return nil }
            let alone = try String.fetchAll(db, sql: """
                SELECT media_id FROM collection_items AS mine WHERE collection_id = ?
                AND NOT EXISTS (SELECT 1 FROM collection_items AS other WHERE other.media_id = mine.media_id AND other.collection_id != mine.collection_id)
                ORDER BY position
                """, arguments: [id])
            try db.execute(sql: "DELETE FROM collections WHERE id = ?", arguments: [id])
            return alone
        }
    }

    public func items(of collection: String) async throws -> [CollectionItem] {
        try await writer.read { db in try Self.items(of: collection, in: db) }
    }

    public func add(_ media: [(id: String, kind: MediaRecord.Kind)], to collection: String, at date: Date) async throws -> [CollectionItem] {
        try await writer.write { db in
            var next = (try Int.fetchOne(db, sql: "SELECT MAX(position) FROM collection_items WHERE collection_id = ?", arguments: [collection]) ?? 0) + 1
            for item in media {
                try db.execute(sql: """
                    INSERT OR IGNORE INTO collection_items (collection_id, media_id, kind, position, added_at) VALUES (?, ?, ?, ?, ?)
                    """, arguments: [collection, item.id, item.kind.rawValue, next, date.timeIntervalSince1970])
                if db.changesCount == 1 { next += 1 }
            }
            return try Self.items(of: collection, in: db)
        }
    }

    public func remove(_ media: String, from collection: String) async throws -> Bool {
        try await writer.write { db in
            guard let position = try Int.fetchOne(db, sql: "SELECT position FROM collection_items WHERE collection_id = ? AND media_id = ?",
                                                  arguments: [collection, media]) else { return false }
            try db.execute(sql: "DELETE FROM collection_items WHERE collection_id = ? AND media_id = ?", arguments: [collection, media])
            try db.execute(sql: "UPDATE collection_items SET position = position - 1 WHERE collection_id = ? AND position > ?",
                           arguments: [collection, position])
            return true
        }
    }

    public func reorder(_ collection: String, as media: [String]) async throws -> Bool {
        try await writer.write { db in
            let current = try String.fetchAll(db, sql: "SELECT media_id FROM collection_items WHERE collection_id = ?", arguments: [collection])
            guard Set(current) == Set(media), current.count == media.count else { return false }
            for (index, id) in media.enumerated() {
                try db.execute(sql: "UPDATE collection_items SET position = ? WHERE collection_id = ? AND media_id = ?",
                               arguments: [index + 1, collection, id])
            }
            return true
        }
    }

    public func collections(holding media: String) async throws -> [String] {
        try await writer.read { db in
            try String.fetchAll(db, sql: "SELECT collection_id FROM collection_items WHERE media_id = ? ORDER BY collection_id", arguments: [media])
        }
    }

    public func insert(_ piece: CollectionPiece) async throws {
        let definition = try StoredJSON.encode(piece)
        try await writer.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO collection_pieces (collection_id, number, state, definition, updated_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [piece.collection, piece.number, piece.state.rawValue, definition, piece.updatedAt.timeIntervalSince1970])
            guard db.changesCount == 1 else {
                throw StudioError(.collectionStateConflict, "collection \(piece.collection) already has a piece \(piece.number)")
            }
        }
    }

    public func pieces(of collection: String) async throws -> [CollectionPiece] {
        try await writer.read { db in
            try String.fetchAll(db, sql: "SELECT definition FROM collection_pieces WHERE collection_id = ? ORDER BY number", arguments: [collection])
                .map { try StoredJSON.decode(CollectionPiece.self, from: $0) }
        }
    }

    public func update(_ piece: CollectionPiece, expecting expected: Set<CollectionPiece.State>) async throws -> Bool {
        let names = expected.map(\.rawValue).sorted()
        guard !names.isEmpty else { return false }
        let definition = try StoredJSON.encode(piece)
        var arguments: StatementArguments = [piece.state.rawValue, definition, piece.updatedAt.timeIntervalSince1970, piece.collection, piece.number]
        arguments += StatementArguments(names)
        return try await writer.write { [arguments] db in
            try db.execute(sql: """
                UPDATE collection_pieces SET state = ?, definition = ?, updated_at = ?
                WHERE collection_id = ? AND number = ? AND state IN (\(Self.placeholders(names.count)))
                """, arguments: arguments)
            return db.changesCount == 1
        }
    }

    private static func items(of collection: String, in db: Database) throws -> [CollectionItem] {
        try Row.fetchAll(db, sql: "SELECT media_id, kind, position, added_at FROM collection_items WHERE collection_id = ? ORDER BY position",
                         arguments: [collection]).map { row in
            CollectionItem(media: row["media_id"], kind: MediaRecord.Kind(rawValue: row["kind"]) ?? .image, position: row["position"],
                           addedAt: Date(timeIntervalSince1970: row["added_at"]))
        }
    }

    private static func placeholders(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ", ") }
}
