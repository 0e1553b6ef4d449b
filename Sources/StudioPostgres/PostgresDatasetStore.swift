import PostgresNIO
public import Studio
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// ``DatasetStore`` on PostgreSQL: one row per dataset, its owner and state as columns for the
/// queries, the whole dataset as JSONB. Guarded updates are `UPDATE … WHERE id AND state = ANY(expected)`.
public struct PostgresDatasetStore: DatasetStore {
    let database: PostgresDatabase

    public func insert(_ dataset: TrainingDataset, maxPerOwner: Int?) async throws {
        let owner = dataset.owner
        try await PostgresRows.insert(table: "datasets", ownerColumn: "owner", owner: owner.description, id: dataset.id,
                                      state: dataset.state.rawValue, definition: try StoredJSON.encode(dataset),
                                      createdAt: dataset.createdAt.timeIntervalSince1970, updatedAt: dataset.updatedAt.timeIntervalSince1970,
                                      cap: maxPerOwner, refusal: { count in
                                          StudioError(.tooManyDatasets, "\(owner) already has \(count) training dataset\(count == 1 ? "" : "s"), the most allowed; delete a draft first")
                                      }, in: database)
    }

    public func dataset(id: String) async throws -> TrainingDataset? {
        try await PostgresRows.records(TrainingDataset.self, "SELECT definition::text FROM datasets WHERE id = \(id)", in: database).first
    }

    public func update(_ dataset: TrainingDataset, expecting expected: Set<TrainingDataset.State>) async throws -> Bool {
        try await PostgresRows.update(table: "datasets", id: dataset.id, state: dataset.state.rawValue,
                                      definition: try StoredJSON.encode(dataset), updatedAt: dataset.updatedAt.timeIntervalSince1970,
                                      expecting: expected.map(\.rawValue).sorted(), in: database)
    }

    public func datasets(of owner: UserID) async throws -> [TrainingDataset] {
        try await PostgresRows.records(TrainingDataset.self, """
            SELECT definition::text FROM datasets WHERE owner = \(owner.description) ORDER BY created_at DESC, id COLLATE "C" DESC
            """, in: database)
    }

    public func datasets(in states: Set<TrainingDataset.State>) async throws -> [TrainingDataset] {
        let names = states.map(\.rawValue).sorted()
        guard !names.isEmpty else { return [] }
        return try await PostgresRows.records(TrainingDataset.self, """
            SELECT definition::text FROM datasets WHERE state = ANY(\(names)) ORDER BY created_at, id COLLATE "C"
            """, in: database)
    }

    public func deleteDraft(id: String) async throws -> Bool {
        try await database.rows("DELETE FROM datasets WHERE id = \(id) AND state = 'draft' RETURNING 1").count == 1
    }
}
