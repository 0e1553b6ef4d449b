/// A value for one setting as it arrives from outside (JSON, a chat command): checked and
/// converted by ``GenerationSettings/applying(_:limits:choices:)``.
public enum SettingValue: Sendable, Equatable, Codable, CustomStringConvertible {
    case int(Int64)
    case double(Double)
    case string(String)
    case bool(Bool)
    case null

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int64.self) { self = .int(value) }
        else if let value = try? container.decode(Double.self) { self = .double(value) }
        else { self = .string(try container.decode(String.self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }

    public var description: String {
        switch self {
        case .int(let value): "\(value)"
        case .double(let value): "\(value)"
        case .string(let value): "\"\(value)\""
        case .bool(let value): "\(value)"
        case .null: "null"
        }
    }

    var integer: Int64? {
        switch self {
        case .int(let value): value
        case .double(let value) where value.rounded() == value && abs(value) < 9e18: Int64(value)
        case .string(let text): Int64(text)
        default: nil
        }
    }

    var number: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value) where value.isFinite: value
        case .string(let text): Double(text).flatMap { $0.isFinite ? $0 : nil }
        default: nil
        }
    }

    var text: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var flag: Bool? {
        switch self {
        case .bool(let value): value
        case .string("true"), .string("on"), .string("yes"): true
        case .string("false"), .string("off"), .string("no"): false
        default: nil
        }
    }
}
