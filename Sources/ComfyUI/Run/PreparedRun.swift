public import ComfyUIModel

/// A run ready to submit: the server it goes to and the graph checked against that server.
public struct PreparedRun: Sendable {
    /// The server's client.
    public let client: ComfyUIClient
    /// The graph to submit.
    public let graph: [String: JSONValue]
    /// The value every template input got (a drawn seed included); empty for a plain graph.
    public let values: [String: JSONValue]
    public let request: RunRequest
}
