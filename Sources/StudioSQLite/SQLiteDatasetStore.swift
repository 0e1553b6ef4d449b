import GRDB
public import Studio
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// ``DatasetStore`` on SQLite: one row per dataset, its owner and state as columns for the
/// queries, the whole dataset as JSON. Guarded updates are `UPDATE … WHERE id = ? AND state IN (…)`.
public struct SQLiteDatasetStore: DatasetStore {
    let writer: any DatabaseWriter

    public func insert(_ dataset: TrainingDataset, maxPerOwner: Int?) async throws {
        let definition = try Self.encode(dataset)
        try await writer.write { db in
            try StudioDatabase.ensureUser(dataset.owner.description, now: dataset.createdAt.timeIntervalSince1970, in: db)
            if let maxPerOwner {
                let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM datasets WHERE owner = ?", arguments: [dataset.owner.description]) ?? 0
                guard count < maxPerOwner else {
                    throw StudioError(.tooManyDatasets, "\(dataset.owner) already has \(count) training dataset\(count == 1 ? "" : "s"), the most allowed; delete a draft first")
                }
            }
            try db.execute(sql: "INSERT INTO datasets (id, owner, state, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [dataset.id, dataset.owner.description, dataset.state.rawValue, definition,
                                       dataset.createdAt.timeIntervalSince1970, dataset.updatedAt.timeIntervalSince1970])
        }
    }

    public func dataset(id: String) async throws -> TrainingDataset? {
        try await writer.read { db in
            try String.fetchOne(db, sql: "SELECT definition FROM datasets WHERE id = ?", arguments: [id]).map(Self.decode)
        }
    }

    public func update(_ dataset: TrainingDataset, expecting expected: Set<TrainingDataset.State>) async throws -> Bool {
        let definition = try Self.encode(dataset)
        return try await writer.write { db in
            try StateGuardedRows.update(db, table: "datasets", id: dataset.id, state: dataset.state.rawValue, definition: definition,
                                        updatedAt: dataset.updatedAt.timeIntervalSince1970, expecting: expected.map(\.rawValue).sorted())
        }
    }

    public func datasets(of owner: UserID) async throws -> [TrainingDataset] {
        try await writer.read { db in
            try String.fetchAll(db, sql: "SELECT definition FROM datasets WHERE owner = ? ORDER BY created_at DESC, id DESC",
                                arguments: [owner.description]).map(Self.decode)
        }
    }

    public func datasets(in states: Set<TrainingDataset.State>) async throws -> [TrainingDataset] {
        let names = states.map(\.rawValue).sorted()
        guard !names.isEmpty else { return [] }
        return try await writer.read { db in
            let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
            return try String.fetchAll(db, sql: "SELECT definition FROM datasets WHERE state IN (\(placeholders)) ORDER BY created_at, id",
                                       arguments: StatementArguments(names)).map(Self.decode)
        }
    }

    public func deleteDraft(id: String) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM datasets WHERE id = ? AND state = 'draft'", arguments: [id])
            return db.changesCount == 1
        }
    }

    private static func encode(_ dataset: TrainingDataset) throws -> String { try StateGuardedRows.encode(dataset) }

    private static func decode(_ json: String) throws -> TrainingDataset { try StateGuardedRows.decode(TrainingDataset.self, from: json) }
}
