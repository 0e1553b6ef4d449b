public import ComfyUIModel
import PostgresNIO
public import Studio
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// ``TemplateStore`` on PostgreSQL: one row per template, its definition (template and cost) as JSONB.
public struct PostgresTemplateStore: TemplateStore {
    let database: PostgresDatabase

    public func save(_ entries: [CatalogueEntry]) async throws {
        let rows = try entries.map { ($0.name, $0.template.kind.rawValue, try StoredJSON.encode($0)) }
        let now = Date().timeIntervalSince1970
        try await database.transaction { transaction in
            for (name, kind, definition) in rows {
                try await transaction.execute("""
                    INSERT INTO templates (name, kind, definition, updated_at) VALUES (\(name), \(kind), \(definition)::jsonb, \(now))
                    ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, definition = excluded.definition,
                      updated_at = excluded.updated_at WHERE templates.definition IS DISTINCT FROM excluded.definition
                    """)
            }
        }
    }

    public func entry(named name: String) async throws -> CatalogueEntry? {
        try await PostgresRows.records(CatalogueEntry.self, "SELECT definition::text FROM templates WHERE name = \(name)", in: database).first
    }

    public func entries(of kind: WorkflowTemplate.Kind) async throws -> [CatalogueEntry] {
        try await PostgresRows.records(CatalogueEntry.self, "SELECT definition::text FROM templates WHERE kind = \(kind.rawValue) ORDER BY name COLLATE \"C\"",
                                       in: database)
    }

    public func allEntries() async throws -> [CatalogueEntry] {
        try await PostgresRows.records(CatalogueEntry.self, "SELECT definition::text FROM templates ORDER BY name COLLATE \"C\"", in: database)
    }
}
