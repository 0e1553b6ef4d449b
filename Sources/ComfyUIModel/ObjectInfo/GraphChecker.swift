/// Checks an API-format graph against a server's `/object_info` before anything is queued:
/// unknown classes, missing required inputs, combo values that are not installed, numbers out of
/// bounds, literals of the wrong type, links to missing nodes, slots or types that do not fit,
/// and a graph with no output node.
public struct GraphChecker: Sendable {
    public let objectInfo: ObjectInfo

    public init(objectInfo: ObjectInfo) { self.objectInfo = objectInfo }

    /// The ``GraphProblem/code``s the checker gives: the names ComfyUI gives the same refusal in
    /// `node_errors` (the first three are ours: ComfyUI refuses those graphs as a whole).
    public enum Code {
        public static let missingClassType = "missing_class_type"
        public static let unknownClass = "unknown_class"
        public static let noOutputs = "prompt_no_outputs"
        public static let requiredInputMissing = "required_input_missing"
        public static let badLink = "bad_linked_input"
        public static let innerValidation = "exception_during_inner_validation"
        public static let typeMismatch = "return_type_mismatch"
        public static let invalidType = "invalid_input_type"
        public static let notInList = "value_not_in_list"
        public static let belowMinimum = "value_smaller_than_min"
        public static let aboveMaximum = "value_bigger_than_max"
    }

    /// Every problem, sorted by node id; empty when the server should accept the graph.
    public func problems(in graph: [String: JSONValue]) -> [GraphProblem] {
        var problems: [GraphProblem] = []
        var hasOutput = false
        for (id, node) in graph.sorted(by: { $0.key.localizedStandardLess($1.key) }) {
            guard let fields = node.object, let classType = fields["class_type"]?.string else {
                problems.append(GraphProblem(node: id, classType: nil, input: nil, message: "has no class_type", code: Code.missingClassType))
                continue
            }
            guard let nodeClass = objectInfo.classes[classType] else {
                problems.append(GraphProblem(node: id, classType: classType, input: nil,
                                             message: "this server has no node class \(classType)", code: Code.unknownClass))
                continue
            }
            hasOutput = hasOutput || nodeClass.isOutputNode
            let inputs = fields["inputs"]?.object ?? [:]
            for name in nodeClass.required.keys.sorted() where inputs[name] == nil {
                problems.append(GraphProblem(node: id, classType: classType, input: name, message: "is required but missing",
                                             code: Code.requiredInputMissing))
            }
            for (name, value) in inputs.sorted(by: { $0.key < $1.key }) {
                guard let spec = nodeClass.spec(of: name) else { continue }  // extra inputs are ignored by the server
                if let (code, message) = check(value, against: spec, in: graph) {
                    problems.append(GraphProblem(node: id, classType: classType, input: name, message: message, code: code))
                }
            }
        }
        if !graph.isEmpty, !hasOutput, problems.isEmpty {
            problems.append(GraphProblem(node: "-", classType: nil, input: nil,
                                         message: "the graph has no output node (SaveImage, PreviewImage…), so nothing would run",
                                         code: Code.noOutputs))
        }
        return problems
    }

    private func check(_ value: JSONValue, against spec: InputSpec, in graph: [String: JSONValue]) -> (code: String, message: String)? {
        if case .array(let parts) = value {
            guard parts.count == 2, let source = parts[0].string, let slot = parts[1].int64 else {
                return (Code.badLink, "a link must be [node id, output slot], not \(value)")
            }
            guard let sourceNode = graph[source]?.object, let sourceClass = sourceNode["class_type"]?.string else {
                return (Code.innerValidation, "links to node \(source), which is not in the graph")
            }
            guard let outputs = objectInfo.classes[sourceClass]?.outputs else { return nil }  // reported on that node
            guard slot >= 0, slot < outputs.count else {
                return (Code.innerValidation, "links to output \(slot) of node \(source) (\(sourceClass)), which has \(outputs.count) outputs")
            }
            let produced = outputs[Int(slot)]
            if case .link(let expected) = spec.kind, !Self.compatible(produced, expected) {
                return (Code.typeMismatch, "expects \(expected) but output \(slot) of node \(source) (\(sourceClass)) is \(produced)")
            }
            return nil
        }
        switch spec.kind {
        case .link(let type):
            return (Code.invalidType, "expects a link to a \(type) output, not the value \(value)")
        case .combo(let choices):
            guard let text = value.string ?? value.number.map({ String($0) }), choices.contains(text) else {
                let listed = choices.isEmpty ? "nothing is installed" : "choose one of \(choices.prefix(12).joined(separator: ", "))\(choices.count > 12 ? ", …" : "")"
                return (Code.notInList, "\(value) is not available on this server (\(listed))")
            }
            return nil
        case .string:
            return value.string == nil ? (Code.invalidType, "expects text, not \(value)") : nil
        case .boolean:
            if case .bool = value { return nil }
            return (Code.invalidType, "expects true or false, not \(value)")
        case .int, .float:
            guard value.number != nil else { return (Code.invalidType, "expects a number, not \(value)") }
            if spec.kind == .int, !value.isWholeNumber { return (Code.invalidType, "expects a whole number, not \(value)") }
            if let minimum = spec.minimum, Self.less(value, minimum) { return (Code.belowMinimum, "\(value) is below the minimum \(minimum)") }
            if let maximum = spec.maximum, Self.less(maximum, value) { return (Code.aboveMaximum, "\(value) is above the maximum \(maximum)") }
            return nil
        }
    }

    /// Exact comparison for whole numbers (seeds reach 2^64 − 1), numeric otherwise.
    static func less(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if let x = a.int64, let y = b.int64 { return x < y }
        if let x = a.uint64, let y = b.uint64 { return x < y }
        if a.int64.map({ $0 < 0 }) == true, b.uint64 != nil { return true }
        if b.int64.map({ $0 < 0 }) == true, a.uint64 != nil { return false }
        return (a.number ?? 0) < (b.number ?? 0)
    }

    /// ComfyUI's type match: equal, `*` on either side, or one of a comma-separated list.
    static func compatible(_ produced: String, _ expected: String) -> Bool {
        if produced == expected || produced == "*" || expected == "*" { return true }
        let accepted = Set(expected.split(separator: ",").map(trimmed))
        return produced.split(separator: ",").map(trimmed).contains { accepted.contains($0) }
    }

    private static func trimmed(_ text: Substring) -> Substring {
        var text = text.drop { $0 == " " }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}

private extension String {
    /// Numeric-aware ordering for node ids ("2" before "10").
    func localizedStandardLess(_ other: String) -> Bool {
        if let a = Int(self), let b = Int(other) { return a < b }
        return self < other
    }
}
