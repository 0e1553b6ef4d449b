public import ComfyUIModel
import GRDB
public import Studio
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// ``TemplateStore`` on SQLite: one row per template, its definition (template and cost) as JSON.
public struct SQLiteTemplateStore: TemplateStore {
    let writer: any DatabaseWriter

    public func save(_ entries: [CatalogueEntry]) async throws {
        let rows = try entries.map { ($0.name, $0.template.kind.rawValue, try StoredJSON.encode($0)) }
        let now = Date().timeIntervalSince1970
        try await writer.write { db in
            for (name, kind, definition) in rows {
                try db.execute(sql: """
                    INSERT INTO templates (name, kind, definition, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, definition = excluded.definition,
                      updated_at = excluded.updated_at WHERE templates.definition != excluded.definition
                    """, arguments: [name, kind, definition, now])
            }
        }
    }

    public func entry(named name: String) async throws -> CatalogueEntry? {
        try await fetch("SELECT definition FROM templates WHERE name = ?", [name]).first
    }

    public func entries(of kind: WorkflowTemplate.Kind) async throws -> [CatalogueEntry] {
        try await fetch("SELECT definition FROM templates WHERE kind = ? ORDER BY name", [kind.rawValue])
    }

    public func allEntries() async throws -> [CatalogueEntry] {
        try await fetch("SELECT definition FROM templates ORDER BY name", [])
    }

    private func fetch(_ sql: String, _ arguments: StatementArguments) async throws -> [CatalogueEntry] {
        try await writer.read { db in
            try String.fetchAll(db, sql: sql, arguments: arguments).map {
                try JSONDecoder().decode(CatalogueEntry.self, from: Data($0.utf8))
            }
        }
    }
}
