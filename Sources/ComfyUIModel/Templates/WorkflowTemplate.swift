/// A workflow template: a ComfyUI graph in API format plus the declaration of its named inputs,
/// its outputs and its kind. Filling a template edits nothing but the declared inputs. (What a run
/// costs is the catalogue's business: Studio's `TemplatePricing`, read from the same file.)
public struct WorkflowTemplate: Sendable, Equatable, Codable {
    /// What the template does; workflows choose templates by kind.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case text2img, img2img, upscale, rmbg, inpaint, loraTrain = "lora_train"

        /// The inputs, by name and type, that a template of this kind must declare because the
        /// workflow fills them: a `lora_train` template gets the uploaded dataset folder as
        /// `images` and the saved LoRA's file prefix (`loras/<name>`) as `lora_prefix`.
        public var requiredInputs: [String: TemplateInput.ValueType] {
            switch self {
            case .loraTrain: ["images": .folder, "lora_prefix": .string]
            default: [:]
            }
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

    public init(name: String, kind: Kind, description: String? = nil, graph: [String: JSONValue],
                inputs: [String: TemplateInput], outputs: [String]) {
        self.name = name
        self.kind = kind
        self.description = description
        self.graph = graph
        self.inputs = inputs
        self.outputs = outputs
    }

    enum CodingKeys: String, CodingKey {
        case name, kind, description, graph, inputs, outputs
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
    }
}
