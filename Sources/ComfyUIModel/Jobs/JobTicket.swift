public import Foundation

/// Where a submitted job runs. Record it before anything else happens: a restarted process
/// resumes watching the job with `ComfyUIClient(baseURL: ticket.server).waitForRun(ticket.promptID)`.
public struct JobTicket: Sendable, Equatable, Codable {
    public var server: URL
    public var promptID: String
    public var clientID: String
    /// Problems the server dropped from a partially valid graph.
    public var droppedBranches: [String]

    public init(server: URL, promptID: String, clientID: String, droppedBranches: [String] = []) {
        self.server = server
        self.promptID = promptID
        self.clientID = clientID
        self.droppedBranches = droppedBranches
    }
}
