public import ComfyUIModel
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

    /// Reads one template file (the template, its `cost` and `tile`) and validates them; the error names
    /// the file and every problem.
    public static func load(file: URL) throws -> CatalogueEntry {
        let name = file.lastPathComponent
        guard let data = try? Data(contentsOf: file) else { throw StudioError(.invalidWorkflow, "\(name): cannot be read") }
        let template: WorkflowTemplate
        do { template = try WorkflowTemplate.load(data, named: name) } catch let error as ComfyUIError {
            throw StudioError(.invalidWorkflow, error.message)
        }
        let entry: CatalogueEntry
        do { entry = try JSONDecoder().decode(CatalogueEntry.self, from: data) } catch let error as DecodingError {
            throw StudioError(.invalidWorkflow, "\(name): \(WorkflowTemplate.describe(error))")
        }
        let problems = entry.pricing.problems() + (entry.tiling?.problems() ?? [])
        guard problems.isEmpty else { throw StudioError(.invalidWorkflow, "\(name): " + problems.joined(separator: "; ")) }
        return CatalogueEntry(template: template, pricing: entry.pricing, tiling: entry.tiling)
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
        var loaded: [(file: String, entry: CatalogueEntry)] = []
        var rejected: [StudioError] = []
        for file in files {
            do { loaded.append((file.lastPathComponent, try Self.load(file: file))) }
            catch let error as StudioError { rejected.append(error) }
        }
        let names = Dictionary(grouping: loaded, by: \.entry.name)
        for (name, group) in names where group.count > 1 {
            rejected.append(StudioError(.invalidWorkflow, "\(group.map(\.file).joined(separator: ", ")): all declare the template '\(name)'"))
        }
        let unique = loaded.filter { names[$0.entry.name]?.count == 1 }.map(\.entry)
        try await store.save(unique)
        return SeedReport(loaded: unique.map(\.name).sorted(), rejected: rejected)
    }

    /// The template called `name`, with its pricing; `unknown_template` when there is none.
    public func entry(named name: String) async throws -> CatalogueEntry {
        guard let entry = try await store.entry(named: name) else {
            let known = try await store.allEntries().map(\.name)
            throw StudioError(.unknownTemplate, "there is no template called '\(name)'"
                              + (known.isEmpty ? "; the catalogue is empty (it is seeded from a folder of template files)"
                                               : "; the catalogue has \(known.joined(separator: ", "))"))
        }
        return entry
    }

    /// Every template of a kind, by name.
    public func entries(of kind: WorkflowTemplate.Kind) async throws -> [CatalogueEntry] {
        try await store.entries(of: kind)
    }

    /// Every template, by name.
    public func allEntries() async throws -> [CatalogueEntry] { try await store.allEntries() }
}
