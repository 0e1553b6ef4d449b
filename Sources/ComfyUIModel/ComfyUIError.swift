/// The errors of the ComfyUI service: a stable code, our message, and what the server said.
public struct ComfyUIError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// A template input that does not exist, is missing, or has a bad value.
        public static let invalidInput = Code("invalid_input")
        /// The graph does not fit this server's `/object_info` (checked before submitting).
        public static let graphRejected = Code("graph_rejected")
        /// The server refused the prompt (HTTP 400 with node errors).
        public static let validationFailed = Code("validation_failed")
        /// The run failed on the server (`execution_error`).
        public static let executionFailed = Code("execution_failed")
        /// The run was interrupted.
        public static let interrupted = Code("interrupted")
        /// The server could not be reached.
        public static let serverUnreachable = Code("server_unreachable")
        /// The run did not finish within its deadline.
        public static let timedOut = Code("timed_out")
        /// The server answered something this client cannot read.
        public static let badResponse = Code("bad_response")
        /// The prompt left the server's queue without running (deleted by `queue --delete`,
        /// `--clear`, `interrupt` while it waited, or another client): it has no history.
        public static let removedFromQueue = Code("removed_from_queue")
        /// The server sent more than this client accepts (a body, an image, a count).
        public static let responseTooLarge = Code("response_too_large")

        public var description: String { rawValue }

        public static func ~= (code: Code, error: any Error) -> Bool { (error as? ComfyUIError)?.code == code }
    }

    public let code: Code
    public let message: String
    /// Every problem, node by node (validation, graph checks, bad inputs).
    public var problems: [GraphProblem]

    public init(_ code: Code, _ message: String, problems: [GraphProblem] = []) {
        self.code = code
        self.message = message
        self.problems = problems
    }

    public var description: String {
        ([("\(code): \(message)")] + problems.map { "  \($0)" }).joined(separator: "\n")
    }
}
