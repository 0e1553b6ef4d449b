import ComfyUI
import ComfyUIModel

/// One entry of `node_errors[id].errors` as ComfyUI 0.3.64 writes it (type, message, details,
/// extra_info), made from what ``GraphChecker`` found. The texts are the captured server's.
struct NodeError {
    var type: String
    var message: String
    var details: String
    var extraInfo: [String: JSONValue]

    init(problem: GraphProblem, graph: [String: JSONValue], objectInfo: ObjectInfo) {
        let input = problem.input ?? ""
        let value = graph[problem.node]?.object?["inputs"]?.object?[input] ?? .null
        let spec = problem.classType.flatMap { objectInfo.classes[$0] }?.spec(of: input)
        extraInfo = ["input_name": .string(input)]
        type = problem.code ?? "validation_failed"
        switch problem.code {
        case GraphChecker.Code.requiredInputMissing:
            (message, details) = ("Required input is missing", input)
        case GraphChecker.Code.badLink:
            (message, details) = ("Bad linked input, must be a length-2 list of [node_id, slot_index]", input)
            extraInfo["received_value"] = value
        case GraphChecker.Code.innerValidation:
            let source = value.array?.first?.string ?? "?"
            (message, details) = ("Exception when validating inner node", "'\(source)'")
            // ComfyUI names the input of the node downstream that links here, not the broken one.
            let downstream = graph.values.lazy.compactMap { node in
                node.object?["inputs"]?.object?.first { $0.value.array?.first?.string == problem.node }?.key
            }.first
            extraInfo["input_name"] = .string(downstream ?? input)
            extraInfo["exception_type"] = "KeyError"
            extraInfo["exception_message"] = .string("'\(source)'")
        case GraphChecker.Code.typeMismatch:
            let link = value.array ?? []
            let sourceClass = link.first?.string.flatMap { graph[$0]?.object?["class_type"]?.string }
            let outputs = sourceClass.flatMap { objectInfo.classes[$0]?.outputs } ?? []
            let slot = Int(link.last?.int64 ?? -1)
            let produced = outputs.indices.contains(slot) ? outputs[slot] : "?"
            var expected = "?"
            if case .link(let type)? = spec?.kind { expected = type }
            (message, details) = ("Return type mismatch between linked nodes", "\(input), received_type(\(produced)) mismatch input_type(\(expected))")
            extraInfo["received_type"] = .string(produced)
        case GraphChecker.Code.notInList where problem.classType == "LoadImage" && input == "image":
            // LoadImage validates its file itself, so ComfyUI skips the list check for it.
            type = "custom_validation_failed"
            (message, details) = ("Custom validation failed for node", "image - Invalid image file: \(value.string ?? "\(value)")")
        case GraphChecker.Code.notInList:
            var choices: [String] = []
            if case .combo(let options)? = spec?.kind { choices = options }
            (message, details) = ("Value not in list", "\(input): \(Self.python(value)) not in [\(choices.map { "'\($0)'" }.joined(separator: ", "))]")
            extraInfo["received_value"] = value
        case GraphChecker.Code.invalidType:
            let kind = spec.map { if case .float = $0.kind { "FLOAT" } else { "INT" } } ?? "INT"
            (message, details) = ("Failed to convert an input value to a \(kind) value", "\(input), \(value.string ?? "\(value)"), invalid literal")
            extraInfo["received_value"] = value
        case GraphChecker.Code.belowMinimum:
            (message, details) = ("Value \(value) smaller than min of \(spec?.minimum ?? .null)", input)
            extraInfo["received_value"] = value
        case GraphChecker.Code.aboveMaximum:
            (message, details) = ("Value \(value) bigger than max of \(spec?.maximum ?? .null)", input)
            extraInfo["received_value"] = value
        default:
            (message, details) = (problem.message, input)
        }
    }

    var json: JSONValue {
        ["type": .string(type), "message": .string(message), "details": .string(details), "extra_info": .object(extraInfo)]
    }

    /// A value as Python's repr writes it in ComfyUI's messages: 'text'.
    private static func python(_ value: JSONValue) -> String {
        if let text = value.string { return "'\(text)'" }
        return "\(value)"
    }
}
