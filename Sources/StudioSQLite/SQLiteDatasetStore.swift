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
        let definition = try StoredJSON.encode(dataset)
        try await writer.write { db in
            try StateGuardedRows.insert(db, table: "datasets", ownerColumn: "owner", owner: dataset.owner.description, id: dataset.id,
                                        state: dataset.state.rawValue, definition: definition,
                                        createdAt: dataset.createdAt.timeIntervalSince1970,
                                        updatedAt: dataset.updatedAt.timeIntervalSince1970, cap: maxPerOwner) { count in
                StudioError(.tooManyDatasets, "\(dataset.owner) already has \(count) training dataset\(count == 1 ? "" : "s"), the most allowed; delete a draft first")
            }
        }
    }

    public func dataset(id: String) async throws -> TrainingDataset? {
        try await writer.read { db in
            try String.fetchOne(db, sql: "SELECT definition FROM datasets WHERE id = ?", arguments: [id]).map { try StoredJSON.decode(TrainingDataset.self, from: $0) }
        }
    }

    public func update(_ dataset: TrainingDataset, expecting expected: Set<TrainingDataset.State>) async throws -> Bool {
        let definition = try StoredJSON.encode(dataset)
        return try await writer.write { db in
            try StateGuardedRows.update(db, table: "datasets", id: dataset.id, state: dataset.state.rawValue, definition: definition,
                                        updatedAt: dataset.updatedAt.timeIntervalSince1970, expecting: expected.map(\.rawValue).sorted())
        }
    }

    public func datasets(of owner: UserID) async throws -> [TrainingDataset] {
        try await writer.read { db in
            try String.fetchAll(db, sql: "SELECT definition FROM datasets WHERE owner = ? ORDER BY created_at DESC, id DESC",
                                arguments: [owner.description]).map { try StoredJSON.decode(TrainingDataset.self, from: $0) }
        }
    }

    public func datasets(in states: Set<TrainingDataset.State>) async throws -> [TrainingDataset] {
        let names = states.map(\.rawValue).sorted()
        guard !names.isEmpty else { return [] }
        return try await writer.read { db in
            let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
            return try String.fetchAll(db, sql: "SELECT definition FROM datasets WHERE state IN (\(placeholders)) ORDER BY created_at, id",
                                       arguments: StatementArguments(names)).map { try StoredJSON.decode(TrainingDataset.self, from: $0) }
        }
    }

    public func deleteDraft(id: String) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM datasets WHERE id = ? AND state = 'draft'", arguments: [id])
            return db.changesCount == 1
        }
    }
}
