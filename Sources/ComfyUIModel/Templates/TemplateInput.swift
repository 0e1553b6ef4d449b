/// One named input of a template: where it goes in the graph, its type, default and bounds.
public struct TemplateInput: Sendable, Equatable, Codable {
    public enum ValueType: String, Sendable, Codable, CaseIterable {
        case string, int, float, bool
        /// An integer seed; -1 means "draw one".
        case seed
        /// An image the caller uploads; the graph receives the uploaded name.
        case image
        /// A folder of files (a training set's images and captions) the caller uploads into one
        /// input subfolder of the server; the graph receives the subfolder's name.
        case folder
        /// One of ``TemplateInput/choices``.
        case choice
    }

    /// The graph node id (`"6"`).
    public var node: String
    /// The input of that node (`"text"`).
    public var input: String
    public var type: ValueType
    public var defaultValue: JSONValue?
    public var min: Double?
    public var max: Double?
    public var choices: [String]?
    /// Whether a job must give this input (an image to upscale, say).
    public var required: Bool

    public init(node: String, input: String, type: ValueType, defaultValue: JSONValue? = nil, min: Double? = nil,
                max: Double? = nil, choices: [String]? = nil, required: Bool = false) {
        self.node = node
        self.input = input
        self.type = type
        self.defaultValue = defaultValue
        self.min = min
        self.max = max
        self.choices = choices
        self.required = required
    }

    enum CodingKeys: String, CodingKey {
        case node, input, type, defaultValue = "default", min, max, choices, required
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        node = try container.decode(String.self, forKey: .node)
        input = try container.decode(String.self, forKey: .input)
        let typeText = try container.decode(String.self, forKey: .type)
        guard let type = ValueType(rawValue: typeText) else {
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription:
                "unknown input type '\(typeText)' (known: \(ValueType.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self.type = type
        defaultValue = try container.decodeIfPresent(JSONValue.self, forKey: .defaultValue)
        min = try container.decodeIfPresent(Double.self, forKey: .min)
        max = try container.decodeIfPresent(Double.self, forKey: .max)
        choices = try container.decodeIfPresent([String].self, forKey: .choices)
        required = try container.decodeIfPresent(Bool.self, forKey: .required) ?? false
    }
}
