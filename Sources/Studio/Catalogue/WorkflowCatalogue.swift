public import ComfyUI
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// The workflow catalogue (the "Workflows service"): templates kept in the database, seeded and
/// updated from a folder of JSON files at start-up, looked up by name and by kind.
public struct WorkflowCatalogue: Sendable {
    /// What seeding did: the templates stored, and each file refused with why.
    public struct SeedReport: Sendable, Equatable {
        public var loaded: [String]
        public var rejected: [StudioError]
    }

    private let store: any TemplateStore

    public init(store: any TemplateStore) { self.store = store }

    /// Reads one template file and validates it; the error names the file and every problem.
    public static func load(file: URL) throws -> WorkflowTemplate {
        do { return try WorkflowTemplate.load(file: file) } catch let error as ComfyUIError {
            throw StudioError(.invalidWorkflow, error.message)
        }
    }

    /// Loads every `*.json` file of `folder` and stores the valid templates (new ones added,
    /// changed ones replaced). Invalid files are reported, not stored; two files declaring the
    /// same template name are both refused.
    @discardableResult
    public func seed(from folder: URL) async throws -> SeedReport {
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.lowercased().hasSuffix(".json") && !$0.hasPrefix(".") }
            .sorted()
            .map { folder.appendingPathComponent($0) }
        var loaded: [(file: String, template: WorkflowTemplate)] = []
        var rejected: [StudioError] = []
        for file in files {
            do { loaded.append((file.lastPathComponent, try Self.load(file: file))) }
            catch let error as StudioError { rejected.append(error) }
        }
        let names = Dictionary(grouping: loaded, by: \.template.name)
        for (name, group) in names where group.count > 1 {
            rejected.append(StudioError(.invalidWorkflow, "\(group.map(\.file).joined(separator: ", ")): all declare the template '\(name)'"))
        }
        let unique = loaded.filter { names[$0.template.name]?.count == 1 }.map(\.template)
        try await store.save(unique)
        return SeedReport(loaded: unique.map(\.name).sorted(), rejected: rejected)
    }

    /// The template called `name`; `unknown_template` when there is none.
    public func template(named name: String) async throws -> WorkflowTemplate {
        guard let template = try await store.template(named: name) else {
            throw StudioError(.unknownTemplate, "there is no template called '\(name)'")
        }
        return template
    }

    /// Every template of a kind, by name.
    public func templates(of kind: WorkflowTemplate.Kind) async throws -> [WorkflowTemplate] {
        try await store.templates(of: kind)
    }

    /// Every template, by name.
    public func allTemplates() async throws -> [WorkflowTemplate] { try await store.allTemplates() }
}
