/// A workflow template (DESIGN.md §3): a ComfyUI graph in API format plus the declaration of
/// its named inputs, its outputs, its kind and its cost model. Filling a template edits nothing
/// but the declared inputs.
public struct WorkflowTemplate: Sendable, Equatable, Codable {
    /// What the template does; workflows choose templates by kind.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case text2img, img2img, upscale, rmbg, inpaint, loraTrain = "lora_train"
    }

    /// How a job on this template is priced.
    public struct CostModel: Sendable, Equatable, Codable {
        /// Points per GPU-second on settlement; `nil`: the policy's rate.
        public var pointsPerSecond: Double?
        /// A fixed hold estimate; `nil`: the policy's formula.
        public var estimate: Int?

        public init(pointsPerSecond: Double? = nil, estimate: Int? = nil) {
            self.pointsPerSecond = pointsPerSecond
            self.estimate = estimate
        }

        enum CodingKeys: String, CodingKey {
            case pointsPerSecond = "points_per_second", estimate
        }
    }

    public var name: String
    public var kind: Kind
    public var description: String?
    /// The ComfyUI graph: node id → `{"class_type": …, "inputs": {…}}`.
    public var graph: [String: JSONValue]
    /// The named inputs a caller may fill.
    public var inputs: [String: TemplateInput]
    /// The node ids whose images are the results (SaveImage nodes).
    public var outputs: [String]
    public var cost: CostModel

    public init(name: String, kind: Kind, description: String? = nil, graph: [String: JSONValue],
                inputs: [String: TemplateInput], outputs: [String], cost: CostModel = CostModel()) {
        self.name = name
        self.kind = kind
        self.description = description
        self.graph = graph
        self.inputs = inputs
        self.outputs = outputs
        self.cost = cost
    }

    enum CodingKeys: String, CodingKey {
        case name, kind, description, graph, inputs, outputs, cost
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        let kindText = try container.decode(String.self, forKey: .kind)
        guard let kind = Kind(rawValue: kindText) else {
            throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription:
                "unknown kind '\(kindText)' (known: \(Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self.kind = kind
        description = try container.decodeIfPresent(String.self, forKey: .description)
        graph = try container.decode([String: JSONValue].self, forKey: .graph)
        inputs = try container.decodeIfPresent([String: TemplateInput].self, forKey: .inputs) ?? [:]
        outputs = try container.decode([String].self, forKey: .outputs)
        cost = try container.decodeIfPresent(CostModel.self, forKey: .cost) ?? CostModel()
    }
}
