#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

extension WorkflowTemplate {
    /// Reads and validates a template file; `invalid_input` names the file and every problem.
    public static func load(file: URL) throws -> WorkflowTemplate {
        let name = file.lastPathComponent
        guard let data = try? Data(contentsOf: file) else { throw ComfyUIError(.invalidInput, "\(name): cannot be read") }
        return try load(data, named: name)
    }

    /// Decodes and validates a template's JSON; `invalid_input` names `name` and every problem.
    public static func load(_ data: Data, named name: String) throws -> WorkflowTemplate {
        let template: WorkflowTemplate
        do { template = try JSONDecoder().decode(WorkflowTemplate.self, from: data) } catch let error as DecodingError {
            throw ComfyUIError(.invalidInput, "\(name): \(describe(error))")
        } catch {
            throw ComfyUIError(.invalidInput, "\(name): malformed JSON")
        }
        let problems = template.problems()
        guard problems.isEmpty else { throw ComfyUIError(.invalidInput, "\(name): " + problems.joined(separator: "; ")) }
        return template
    }

    /// A decoding error in words that name the key.
    package static func describe(_ error: DecodingError) -> String {
        // `traits[0].values[1].weight`: array positions as subscripts.
        func path(_ keys: [any CodingKey]) -> String {
            keys.reduce("") { path, key in
                if let index = key.intValue { return path + "[\(index)]" }
                return path.isEmpty ? key.stringValue : path + "." + key.stringValue
            }
        }
        switch error {
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "malformed JSON" : "\(path(context.codingPath)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "missing '\(key.stringValue)'\(context.codingPath.isEmpty ? "" : " in \(path(context.codingPath))")"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context.codingPath)) has the wrong type"
        @unknown default:
            return "malformed template"
        }
    }
}

extension WorkflowTemplate {
    /// Every problem with this template, in words that name the node, the input or the output;
    /// empty when it is sound. Checked when templates are loaded, so a bad one never reaches a job.
    public func problems() -> [String] {
        var problems: [String] = []
        if name.isEmpty || name.contains(where: { $0.isWhitespace || $0 == "/" }) {
            problems.append("the name '\(name)' must be non-empty, without spaces or slashes")
        }
        if graph.isEmpty { problems.append("the graph has no nodes") }
        for (id, node) in graph.sorted(by: { $0.key < $1.key }) {
            guard let fields = node.object, fields["class_type"]?.string?.isEmpty == false, let inputs = fields["inputs"]?.object else {
                problems.append("node \(id) needs a class_type and an inputs object"); continue
            }
            for (inputName, value) in inputs.sorted(by: { $0.key < $1.key }) {
                if let link = value.array, link.count == 2, let target = link[0].string, link[1].int64 != nil, graph[target] == nil {
                    problems.append("node \(id) input '\(inputName)' links to node \(target), which is not in the graph")
                }
            }
        }
        for (inputName, declared) in inputs.sorted(by: { $0.key < $1.key }) {
            problems += declared.problems(named: inputName, in: graph)
        }
        if outputs.isEmpty { problems.append("no output node is declared") }
        for output in outputs where graph[output] == nil {
            problems.append("output node \(output) is not in the graph")
        }
        for (inputName, type) in kind.requiredInputs.sorted(by: { $0.key < $1.key }) where inputs[inputName]?.type != type {
            problems.append("a \(kind.rawValue) template declares input '\(inputName)' of type \(type.rawValue)")
        }
        return problems
    }
}

extension TemplateInput {
    func problems(named name: String, in graph: [String: JSONValue]) -> [String] {
        let label = "input '\(name)'"
        guard let node = graph[node]?.object else { return ["\(label) refers to node \(node), which is not in the graph"] }
        var problems: [String] = []
        if node["inputs"]?.object?[input] == nil {
            let classType = node["class_type"]?.string ?? "?"
            problems.append("\(label) refers to '\(input)', which node \(self.node) (\(classType)) does not have")
        }
        if let min, let max, min > max { problems.append("\(label) has min \(min) above max \(max)") }
        if type == .choice, choices?.isEmpty ?? true { problems.append("\(label) is a choice without choices") }
        if let defaultValue, let problem = check(defaultValue) { problems.append("\(label) default: \(problem)") }
        return problems
    }

    /// `48` rather than `48.0` for whole bounds.
    static func format(_ bound: Double) -> String {
        bound.rounded() == bound && abs(bound) < 1e15 ? String(Int64(bound)) : String(bound)
    }

    /// Why `value` does not fit this input, or `nil` when it does.
    public func check(_ value: JSONValue) -> String? {
        switch type {
        case .string, .image, .folder:
            return value.string == nil ? "expected text but received \(value)" : nil
        case .bool:
            if case .bool = value { return nil }
            return "expected true or false but received \(value)"
        case .choice:
            guard let text = value.string, choices?.contains(text) ?? false else {
                return "expected one of \((choices ?? []).joined(separator: ", ")) but received \(value)"
            }
            return nil
        case .seed:
            guard value.int64 == -1 || value.uint64 != nil else { return "expected -1 or a seed of 0…2^64-1 but received \(value)" }
            return nil
        case .int, .float:
            guard let number = value.number else { return "expected a number but received \(value)" }
            if type == .int, !value.isWholeNumber { return "expected a whole number but received \(value)" }
            if let min, number < min { return "expected at least \(Self.format(min)) but received \(value)" }
            if let max, number > max { return "expected at most \(Self.format(max)) but received \(value)" }
            return nil
        }
    }
}
