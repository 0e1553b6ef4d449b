/// A template filled for one job: the graph to submit and the value each input got (seeds
/// drawn for -1 included, so a job can record and repeat them).
public struct FilledTemplate: Sendable, Equatable {
    public var graph: [String: JSONValue]
    public var values: [String: JSONValue]
}

extension WorkflowTemplate {
    /// Seeds drawn for -1 stay within 0 … 2^32 − 1, the range a user may type back as a setting.
    public static let drawnSeedRange: ClosedRange<UInt64> = 0...4_294_967_295

    /// Fills the declared inputs by name and nothing else. Unknown names, missing required
    /// inputs and values of the wrong type or out of bounds are refused together
    /// (`invalid_input`, one problem each); a seed of -1 is drawn from `generator`.
    public func filled(with values: [String: JSONValue], using generator: inout some RandomNumberGenerator) throws -> FilledTemplate {
        var problems: [GraphProblem] = []
        for name in values.keys.sorted() where inputs[name] == nil {
            problems.append(GraphProblem(node: "-", classType: nil, input: name,
                message: "is not an input of template '\(self.name)' (inputs: \(inputs.keys.sorted().joined(separator: ", ")))"))
        }
        var graph = self.graph
        var used: [String: JSONValue] = [:]
        for (name, input) in inputs.sorted(by: { $0.key < $1.key }) {
            guard var value = values[name] ?? input.defaultValue else {
                if input.required {
                    problems.append(GraphProblem(node: input.node, classType: nil, input: name, message: "is required"))
                }
                continue
            }
            if input.required, value == .string(""), [.string, .image, .folder].contains(input.type) {
                problems.append(GraphProblem(node: input.node, classType: nil, input: name, message: "is required"))
                continue
            }
            if let problem = input.check(value) {
                problems.append(GraphProblem(node: input.node, classType: nil, input: name, message: problem))
                continue
            }
            if input.type == .seed, value.int64 == -1 {
                value = .integer(Int64(UInt64.random(in: Self.drawnSeedRange, using: &generator)))
            }
            guard case .object(var node) = graph[input.node], case .object(var nodeInputs) = node["inputs"] else { continue }
            nodeInputs[input.input] = value
            node["inputs"] = .object(nodeInputs)
            graph[input.node] = .object(node)
            used[name] = value
        }
        guard problems.isEmpty else {
            throw ComfyUIError(.invalidInput, "template '\(name)' cannot be filled as asked", problems: problems)
        }
        return FilledTemplate(graph: graph, values: used)
    }

    /// ``filled(with:using:)`` with the system's random numbers.
    public func filled(with values: [String: JSONValue]) throws -> FilledTemplate {
        var generator = SystemRandomNumberGenerator()
        return try filled(with: values, using: &generator)
    }
}
