/// A command's failure: a stable code, one line on standard error, a documented exit code, and
/// — with `--json` — one `{"error": {…}}` document on standard output.
public struct Failure: Error {
    /// Exit codes, in the spirit of sysexits.h.
    public enum Status: Int32, Sendable {
        case partial = 1
        case usage = 64
        case input = 65
        /// A prompt left the server's queue before it ran.
        case removed = 66
        case unavailable = 69
        case processing = 70
        case timedOut = 75
        case interrupted = 130

        /// The code a failure of this status has when nothing more precise is known.
        public var code: String {
            switch self {
            case .partial: "partial"
            case .usage: "usage"
            case .input: "invalid_input"
            case .removed: "removed_from_queue"
            case .unavailable: "server_unreachable"
            case .processing: "failed"
            case .timedOut: "timed_out"
            case .interrupted: "interrupted"
            }
        }
    }

    /// One detail of a failure: a refused graph node, an input, a file.
    public struct Problem: Encodable, Sendable, Equatable {
        public var node: String?
        public var classType: String?
        public var input: String?
        public var message: String
        public var code: String?

        public init(node: String? = nil, classType: String? = nil, input: String? = nil, message: String, code: String? = nil) {
            self.node = node
            self.classType = classType
            self.input = input
            self.message = message
            self.code = code
        }
    }

    public var status: Status
    public var message: String
    /// A stable snake_case code (`load_failed`, `graph_rejected`, `usage`…).
    public var code: String
    /// Listed under the message (already in it as lines) and in the JSON document.
    public var problems: [Problem]
    /// The command has printed its own JSON document for this failure (a partial result).
    public var printedJSON = false

    public init(_ status: Status, _ message: String, code: String? = nil, problems: [Problem] = []) {
        self.status = status
        self.message = message
        self.code = code ?? status.code
        self.problems = problems
    }

    /// Prints the line (and, when `json`, the document) and returns the exit code.
    public func report(json: Bool = false) -> Int32 {
        Console.errorLine("darkroom: \(message)")
        if json, !printedJSON {
            JSONOutput.print(JSONOutput.ErrorReport(error: .init(code: code, exitCode: status.rawValue, message: message, problems: problems)))
        }
        return status.rawValue
    }
}
