internal import CVips

/// The one error type of the `Vips` module.
///
/// Our own sentence comes first (``message``), naming the ``operation`` and the ``input``;
/// libvips' text is kept only as ``detail`` and never branched on. Match on ``code``:
///
/// ```swift
/// do { _ = try Image(contentsOfFile: path) }
/// catch VipsError.Code.limitExceeded { … }
/// ```
public struct VipsError: Error, Sendable, CustomStringConvertible {
    /// A stable, machine-readable reason. New codes may be added; switch with a `default`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The snake_case spelling, stable across releases (e.g. `limit_exceeded`).
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// The input file does not exist or cannot be read.
        public static let fileNotFound = Code("file_not_found")
        /// The input has no bytes at all.
        public static let emptyInput = Code("empty_input")
        /// The input is not an image any trusted loader reads, or the output format is unknown.
        public static let unsupportedFormat = Code("unsupported_format")
        /// The input is in a format only an untrusted loader reads, and those are blocked
        /// (``VipsConfiguration/blockUntrustedLoaders``).
        public static let untrustedFormat = Code("untrusted_format")
        /// The input looks like an image but is corrupt or truncated.
        public static let loadFailed = Code("load_failed")
        /// The input is larger than a ``Limits`` value allows (bytes, pixels or frames).
        public static let limitExceeded = Code("limit_exceeded")
        /// A parameter is out of range or does not fit the image.
        public static let invalidArgument = Code("invalid_argument")
        /// libvips could not carry out an operation on valid input.
        public static let operationFailed = Code("operation_failed")
        /// Encoding or writing the output failed.
        public static let saveFailed = Code("save_failed")
        /// The work was cancelled before it finished.
        public static let cancelled = Code("cancelled")

        public var description: String { rawValue }

        /// Lets `catch VipsError.Code.loadFailed` match a thrown ``VipsError``.
        public static func ~= (code: Code, error: any Error) -> Bool {
            (error as? VipsError)?.code == code
        }
    }

    /// Why it failed, as a stable code.
    public let code: Code
    /// What we were doing: `load`, `thumbnail`, `save webp`, …
    public let operation: String
    /// The input concerned: a file path or a description such as `2048-byte buffer`.
    public let input: String?
    /// Our explanation, one sentence.
    public let message: String
    /// libvips' own text, when it had any. For logs, never for decisions.
    public let detail: String?

    public init(_ code: Code, operation: String, input: String? = nil, message: String,
                detail: String? = nil) {
        self.code = code
        self.operation = operation
        self.input = input
        self.message = message
        self.detail = detail
    }

    /// One line: `load_failed: load 'a.jpg': the image is corrupt or truncated (libvips: …)`.
    public var description: String {
        var text = "\(code): \(operation)"
        if let input { text += " '\(input)'" }
        text += ": \(message)"
        if let detail, !detail.isEmpty { text += " (libvips: \(detail))" }
        return text
    }

    /// Reads and clears libvips' process-wide error buffer in one step, trimmed to one line.
    static func takeDetail() -> String? {
        guard let copy = vips_error_buffer_copy() else { return nil }
        defer { g_free(copy) }
        let text = String(cString: copy)
            .split(whereSeparator: \.isNewline)
            .map { $0.drop { $0 == " " || $0 == "\t" } }
            .filter { !$0.isEmpty }
            .joined(separator: "; ")
        return text.isEmpty ? nil : text
    }

    /// An error for a libvips call that just failed, with its buffer as detail.
    static func libvips(_ code: Code, operation: String, input: String?, message: String) -> VipsError {
        VipsError(code, operation: operation, input: input, message: message, detail: takeDetail())
    }

    static func invalidArgument(_ operation: String, _ message: String) -> VipsError {
        VipsError(.invalidArgument, operation: operation, message: message)
    }
}
