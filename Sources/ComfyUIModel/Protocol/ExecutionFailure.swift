/// What `execution_error` says about a failed run: the node, the exception and its message.
public struct ExecutionFailure: Sendable, Equatable, Decodable {
    public var promptID: String
    public var node: String
    public var nodeType: String
    public var exceptionType: String
    public var exceptionMessage: String
    public var traceback: [String]
    public var timestamp: Int64?

    enum CodingKeys: String, CodingKey {
        case promptID = "prompt_id", node = "node_id", nodeType = "node_type", exceptionType = "exception_type"
        case exceptionMessage = "exception_message", traceback, timestamp
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        promptID = try container.decode(String.self, forKey: .promptID)
        node = ServerMessage.nodeID(try container.decode(JSONValue.self, forKey: .node))
        nodeType = try container.decodeIfPresent(String.self, forKey: .nodeType) ?? "?"
        exceptionType = try container.decodeIfPresent(String.self, forKey: .exceptionType) ?? "?"
        exceptionMessage = try container.decodeIfPresent(String.self, forKey: .exceptionMessage) ?? ""
        traceback = try container.decodeIfPresent([String].self, forKey: .traceback) ?? []
        timestamp = try container.decodeIfPresent(Int64.self, forKey: .timestamp)
    }
}
