/// A finished prompt as `/history/{id}` records it.
public struct RunRecord: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        case success
        case failed(ExecutionFailure)
        case interrupted(node: String?)
    }

    public var promptID: String
    public var outcome: Outcome
    /// Output images by node id.
    public var outputs: [String: [OutputImage]]
    /// Milliseconds since the epoch, from the server's own `execution_start` and the run's end.
    public var startedAt: Int64?
    public var endedAt: Int64?
    /// Nodes served from the cache.
    public var cachedNodes: [String]

    /// The run time measured by the server (what points are charged on); `nil` when a timestamp
    /// is missing or the two make no sense (the end before the start, a difference that
    /// overflows). Any server can claim anything here: callers also bound it by the time they
    /// measured themselves (``RunResult/runSeconds``).
    public var runSeconds: Double? {
        guard let startedAt, let endedAt else { return nil }
        let (milliseconds, overflow) = endedAt.subtractingReportingOverflow(startedAt)
        guard !overflow, milliseconds >= 0 else { return nil }
        return Double(milliseconds) / 1000
    }

    /// Parses one history entry (`{"prompt": …, "outputs": …, "status": …}`).
    package init(promptID: String, entry: [String: JSONValue]) throws {
        self.promptID = promptID
        let status = entry["status"]?.object ?? [:]
        var outcome = Outcome.success
        var cached: [String] = []
        for message in status["messages"]?.array ?? [] {
            guard let pair = message.array, pair.count == 2, let event = pair[0].string, let data = pair[1].object else { continue }
            let timestamp = data["timestamp"]?.int64
            switch event {
            case "execution_start": startedAt = timestamp
            case "execution_cached": cached = (data["nodes"]?.array ?? []).map(ServerMessage.nodeID)
            case "execution_success": endedAt = timestamp
            case "execution_error":
                endedAt = timestamp
                let bytes = try JSONEncoder().encode(pair[1])
                outcome = .failed(try JSONDecoder().decode(ExecutionFailure.self, from: bytes))
            case "execution_interrupted":
                endedAt = timestamp
                outcome = .interrupted(node: data["node_id"].flatMap(ServerMessage.optionalNodeID))
            default: break
            }
        }
        if status["status_str"]?.string == "error", outcome == .success {
            throw ComfyUIError(.badResponse, "history of \(promptID) reports an error without saying which")
        }
        self.outcome = outcome
        cachedNodes = cached
        outputs = (entry["outputs"]?.object ?? [:]).mapValues { OutputImage.list($0.object?["images"]) }
    }
}

import Foundation
