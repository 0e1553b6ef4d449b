/// Every answer of the Bot API: `{"ok": true, "result": …}` or `{"ok": false, "error_code": …,
/// "description": …, "parameters": …}`.
public struct BotAPIResponse<Result: Codable & Sendable>: Codable, Sendable {
    public var ok: Bool
    public var result: Result?
    public var errorCode: Int?
    public var description: String?
    public var parameters: ResponseParameters?

    public init(ok: Bool, result: Result? = nil, errorCode: Int? = nil, description: String? = nil, parameters: ResponseParameters? = nil) {
        self.ok = ok
        self.result = result
        self.errorCode = errorCode
        self.description = description
        self.parameters = parameters
    }

    enum CodingKeys: String, CodingKey {
        case ok, result, errorCode = "error_code", description, parameters
    }
}
