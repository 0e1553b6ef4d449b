/// What a node input accepts, from `/object_info`: `[TYPE, {options}]`.
///
/// Combos come in two shapes: classic `[["a", "b"], {…}]` and "v3" `["COMBO", {"options": [...]}]`.
/// Integer bounds are kept exact as ``JSONValue`` (a seed's maximum is 2^64 − 1).
public struct InputSpec: Sendable, Equatable, Decodable {
    public enum Kind: Sendable, Equatable {
        case int, float, string, boolean
        /// One of these values (a sampler, an installed checkpoint…).
        case combo([String])
        /// A link from another node's output of this type (`MODEL`, `IMAGE`, …).
        case link(String)
    }

    public var kind: Kind
    public var defaultValue: JSONValue?
    public var minimum: JSONValue?
    public var maximum: JSONValue?

    public init(kind: Kind, defaultValue: JSONValue? = nil, minimum: JSONValue? = nil, maximum: JSONValue? = nil) {
        self.kind = kind
        self.defaultValue = defaultValue
        self.minimum = minimum
        self.maximum = maximum
    }

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        let head = try container.decode(JSONValue.self)
        let options = (container.isAtEnd ? nil : try container.decode(JSONValue.self))?.object ?? [:]
        defaultValue = options["default"]
        minimum = options["min"]
        maximum = options["max"]
        switch head {
        case .array(let values):
            kind = .combo(values.compactMap { $0.string ?? $0.number.map { String($0) } })
        case .string("COMBO"):
            kind = .combo((options["options"]?.array ?? []).compactMap(\.string))
        case .string("INT"): kind = .int
        case .string("FLOAT"): kind = .float
        case .string("STRING"): kind = .string
        case .string("BOOLEAN"): kind = .boolean
        case .string(let type): kind = .link(type)
        default:
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unreadable input spec \(head)"))
        }
    }
}
