extension TemplateInput {
    /// The value `text` stands for, read by this input's declared type: a text input takes any
    /// text as it is (`prompt=42` is the text "42"); numbers, seeds and booleans must parse.
    /// Bounds and choices are checked when the template is filled, not here.
    public func value(parsing text: String, named name: String) throws -> JSONValue {
        switch type {
        case .string, .image, .folder, .choice:
            return .string(text)
        case .int, .seed:
            let trimmed = Self.trimmed(text)
            if let number = Int64(trimmed) { return .integer(number) }
            if let number = UInt64(trimmed) { return .unsigned(number) }
            throw problem(name, text, "a whole number")
        case .float:
            guard let number = Double(Self.trimmed(text)), number.isFinite else {
                throw problem(name, text, "a number")
            }
            return .number(number)
        case .bool:
            switch text.lowercased() {
            case "true", "yes", "on", "1": return .bool(true)
            case "false", "no", "off", "0": return .bool(false)
            default: throw problem(name, text, "true or false")
            }
        }
    }

    private static func trimmed(_ text: String) -> String {
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    private func problem(_ name: String, _ text: String, _ expected: String) -> ComfyUIError {
        ComfyUIError(.invalidInput, "input '\(name)' expects \(expected) but received '\(text)'",
                     problems: [GraphProblem(node: node, classType: nil, input: name, message: "expected \(expected) but received '\(text)'")])
    }
}
