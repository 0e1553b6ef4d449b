/// A user across platforms: `platform:id`, e.g. `telegram:5472638766`.
public struct UserID: Hashable, Sendable, Codable, CustomStringConvertible, LosslessStringConvertible {
    /// The platform part (`telegram`, `web`, …).
    public let platform: String
    /// The platform's own id for the user.
    public let id: String

    /// Parses `platform:id`; `nil` unless both parts are non-empty and the platform is lowercase
    /// letters, digits, `-` or `_`.
    public init?(_ description: String) {
        guard let colon = description.firstIndex(of: ":") else { return nil }
        let platform = String(description[..<colon]), id = String(description[description.index(after: colon)...])
        self.init(platform: platform, id: id)
    }

    public init?(platform: String, id: String) {
        guard !platform.isEmpty, !id.isEmpty, !id.contains(where: \.isWhitespace),
              platform.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" || $0 == "_" }) else { return nil }
        self.platform = platform
        self.id = id
    }

    public var description: String { "\(platform):\(id)" }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = UserID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not platform:id"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
