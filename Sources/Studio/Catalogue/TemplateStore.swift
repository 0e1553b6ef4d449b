public import ComfyUI
/// Storage for the workflow catalogue.
public protocol TemplateStore: Sendable {
    /// Inserts or replaces templates (by name), together.
    func save(_ templates: [WorkflowTemplate]) async throws
    func template(named name: String) async throws -> WorkflowTemplate?
    /// All templates of a kind, by name.
    func templates(of kind: WorkflowTemplate.Kind) async throws -> [WorkflowTemplate]
    /// Every template, by name.
    func allTemplates() async throws -> [WorkflowTemplate]
}
