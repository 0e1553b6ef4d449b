/// One node class of a ComfyUI server (an entry of `/object_info`).
public struct NodeClass: Sendable, Equatable, Decodable {
    public var name: String
    /// `null` for some "v3" nodes.
    public var displayName: String?
    public var category: String?
    /// Whether the node is an output (SaveImage, PreviewImage…): only graphs reaching one run.
    public var isOutputNode: Bool
    public var required: [String: InputSpec]
    public var optional: [String: InputSpec]
    /// Output types by slot (`["MODEL", "CLIP", "VAE"]`).
    public var outputs: [String]

    enum CodingKeys: String, CodingKey {
        case name, displayName = "display_name", category, isOutputNode = "output_node", input, outputs = "output"
    }

    enum InputKeys: String, CodingKey { case required, optional }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        displayName = try container.decodeIfPresent(String.self, forKey: .displayName)
        category = try container.decodeIfPresent(String.self, forKey: .category)
        isOutputNode = try container.decodeIfPresent(Bool.self, forKey: .isOutputNode) ?? false
        outputs = try container.decodeIfPresent([String].self, forKey: .outputs) ?? []
        let inputs = try container.nestedContainer(keyedBy: InputKeys.self, forKey: .input)
        required = try inputs.decodeIfPresent([String: InputSpec].self, forKey: .required) ?? [:]
        optional = try inputs.decodeIfPresent([String: InputSpec].self, forKey: .optional) ?? [:]
    }

    /// The spec of `input`, required or optional.
    public func spec(of input: String) -> InputSpec? { required[input] ?? optional[input] }
}

/// Everything `/object_info` says: node classes by name.
public struct ObjectInfo: Sendable, Equatable, Decodable {
    public var classes: [String: NodeClass]

    public init(classes: [String: NodeClass]) { self.classes = classes }

    public init(from decoder: any Decoder) throws {
        classes = try decoder.singleValueContainer().decode([String: NodeClass].self)
    }

    /// The ids of a graph's output nodes (SaveImage, PreviewImage…), sorted: what the server runs.
    public func outputNodes(in graph: [String: JSONValue]) -> [String] {
        graph.filter { _, node in node.object?["class_type"]?.string.flatMap { classes[$0]?.isOutputNode } == true }
            .keys.sorted()
    }

    /// Adds or replaces classes (e.g. from `/object_info/{class}`).
    public func merging(_ other: ObjectInfo) -> ObjectInfo {
        ObjectInfo(classes: classes.merging(other.classes) { $1 })
    }
}
