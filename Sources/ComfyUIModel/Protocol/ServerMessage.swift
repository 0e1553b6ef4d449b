/// A text message from ComfyUI's WebSocket (`{"type": …, "data": {…}}`), as captured from a
/// real 0.3.64 server. Unknown types are kept, not refused: servers add new ones.
public enum ServerMessage: Sendable, Equatable, Decodable {
    /// Queue size changed; `sessionID` only in the first message of a connection.
    case status(queueRemaining: Int, sessionID: String?)
    case executionStart(promptID: String, timestamp: Int64)
    /// Nodes served from the cache.
    case executionCached(promptID: String, nodes: [String], timestamp: Int64)
    /// A node starts; `node == nil` means the prompt is completely done and its history written.
    case executing(promptID: String?, node: String?)
    /// Step `value` of `max` in `node` (KSampler: 1…steps).
    case progress(promptID: String, node: String?, value: Int, max: Int)
    /// A node produced UI output (SaveImage, PreviewImage), also when served from the cache.
    case executed(promptID: String, node: String, images: [OutputImage])
    case executionSuccess(promptID: String, timestamp: Int64)
    case executionError(ExecutionFailure)
    case executionInterrupted(promptID: String, node: String?, nodeType: String?, timestamp: Int64?)
    /// `progress_state`, `feature_flags` and any type this client does not use.
    case other(type: String)

    /// The prompt a message is about, when it names one.
    public var promptID: String? {
        switch self {
        case .executionStart(let id, _), .executionCached(let id, _, _), .progress(let id, _, _, _),
             .executed(let id, _, _), .executionSuccess(let id, _), .executionInterrupted(let id, _, _, _):
            id
        case .executing(let id, _): id
        case .executionError(let failure): failure.promptID
        case .status, .other: nil
        }
    }

    enum Keys: String, CodingKey { case type, data }
    enum DataKeys: String, CodingKey {
        case status, sid, promptID = "prompt_id", timestamp, nodes, node, value, max, output
        case nodeID = "node_id", nodeType = "node_type"
    }
    enum StatusKeys: String, CodingKey { case execInfo = "exec_info" }
    enum ExecInfoKeys: String, CodingKey { case queueRemaining = "queue_remaining" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        let type = try container.decode(String.self, forKey: .type)
        guard container.contains(.data) else { self = .other(type: type); return }
        let data = try container.nestedContainer(keyedBy: DataKeys.self, forKey: .data)
        switch type {
        case "status":
            let info = try data.nestedContainer(keyedBy: StatusKeys.self, forKey: .status)
                .nestedContainer(keyedBy: ExecInfoKeys.self, forKey: .execInfo)
            self = .status(queueRemaining: try info.decode(Int.self, forKey: .queueRemaining),
                           sessionID: try data.decodeIfPresent(String.self, forKey: .sid))
        case "execution_start":
            self = .executionStart(promptID: try data.decode(String.self, forKey: .promptID),
                                   timestamp: try data.decode(Int64.self, forKey: .timestamp))
        case "execution_cached":
            self = .executionCached(promptID: try data.decode(String.self, forKey: .promptID),
                                    nodes: try data.decode([JSONValue].self, forKey: .nodes).map(Self.nodeID),
                                    timestamp: try data.decode(Int64.self, forKey: .timestamp))
        case "executing":
            self = .executing(promptID: try data.decodeIfPresent(String.self, forKey: .promptID),
                              node: try data.decodeIfPresent(JSONValue.self, forKey: .node).flatMap(Self.optionalNodeID))
        case "progress":
            self = .progress(promptID: try data.decode(String.self, forKey: .promptID),
                             node: try data.decodeIfPresent(JSONValue.self, forKey: .node).map(Self.nodeID),
                             value: try data.decode(Int.self, forKey: .value), max: try data.decode(Int.self, forKey: .max))
        case "executed":
            let output = try data.decodeIfPresent([String: JSONValue].self, forKey: .output) ?? [:]
            self = .executed(promptID: try data.decode(String.self, forKey: .promptID),
                             node: Self.nodeID(try data.decode(JSONValue.self, forKey: .node)),
                             images: OutputImage.list(output["images"]))
        case "execution_success":
            self = .executionSuccess(promptID: try data.decode(String.self, forKey: .promptID),
                                     timestamp: try data.decode(Int64.self, forKey: .timestamp))
        case "execution_error":
            self = .executionError(try container.decode(ExecutionFailure.self, forKey: .data))
        case "execution_interrupted":
            self = .executionInterrupted(promptID: try data.decode(String.self, forKey: .promptID),
                                         node: try data.decodeIfPresent(JSONValue.self, forKey: .nodeID).flatMap(Self.optionalNodeID),
                                         nodeType: try data.decodeIfPresent(String.self, forKey: .nodeType),
                                         timestamp: try data.decodeIfPresent(Int64.self, forKey: .timestamp))
        default:
            self = .other(type: type)
        }
    }

    /// A node id that may be JSON `null` (`executing` at the end of a run, an interruption
    /// between nodes).
    static func optionalNodeID(_ value: JSONValue) -> String? { value == .null ? nil : nodeID(value) }

    /// Node ids are strings, but some messages carry them as numbers.
    static func nodeID(_ value: JSONValue) -> String {
        value.string ?? value.int64.map(String.init) ?? value.description
    }
}
