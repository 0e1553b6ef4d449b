public import ComfyUIModel

/// Storage for the workflow catalogue.
public protocol TemplateStore: Sendable {
    /// Inserts or replaces entries (by template name), together.
    func save(_ entries: [CatalogueEntry]) async throws
    func entry(named name: String) async throws -> CatalogueEntry?
    /// All entries whose template is of `kind`, by name.
    func entries(of kind: WorkflowTemplate.Kind) async throws -> [CatalogueEntry]
    /// Every entry, by name.
    func allEntries() async throws -> [CatalogueEntry]
}
