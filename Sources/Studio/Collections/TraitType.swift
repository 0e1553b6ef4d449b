/// One kind of trait a generative series draws for each piece (`background`, `eyes`), with its
/// weighted values.
public struct TraitType: Sendable, Codable, Equatable {
    /// One value: its name (shown in metadata), the text it puts into the prompt (empty for a
    /// value that adds nothing, such as "none"), and its weight (0 never drawn).
    public struct Value: Sendable, Codable, Equatable {
        public var name: String
        public var prompt: String
        public var weight: Double

        public init(name: String, prompt: String, weight: Double = 1) {
            self.name = name
            self.prompt = prompt
            self.weight = weight
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            prompt = try container.decode(String.self, forKey: .prompt)
            weight = try container.decodeIfPresent(Double.self, forKey: .weight) ?? 1
        }

        enum CodingKeys: String, CodingKey {
            case name, prompt, weight
        }

        /// Whether the value adds nothing to the prompt.
        public var isEmpty: Bool { prompt.allSatisfy(\.isWhitespace) }
    }

    public var name: String
    public var values: [Value]

    public init(name: String, values: [Value]) {
        self.name = name
        self.values = values
    }

    /// Whether a drawn value may be empty (an empty value with a weight above 0).
    public var canBeEmpty: Bool { values.contains { $0.isEmpty && $0.weight > 0 } }
    /// Whether a drawn value may put something into the prompt.
    public var canBeNonEmpty: Bool { values.contains { !$0.isEmpty && $0.weight > 0 } }
}
