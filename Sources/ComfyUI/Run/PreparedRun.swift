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

/// A run submitted and being followed: record its ``ticket`` before waiting for it.
public struct StartedRun: Sendable {
    /// Where the run is: enough to resume watching it after a restart.
    public let ticket: JobTicket
    public let prepared: PreparedRun
    let follower: RunFollower
    /// When it was submitted, on the client's clock.
    let submittedAt: Duration
}

/// A finished run: where it ran, the values it ran with, and its images.
public struct RunOutcome: Sendable {
    public let ticket: JobTicket
    public let values: [String: JSONValue]
    public let result: RunResult
}
