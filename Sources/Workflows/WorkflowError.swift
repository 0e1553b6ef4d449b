public import ComfyUIModel
public import Media
public import Studio
public import Vips

/// What every workflow throws: a stable snake_case code the HTTP API and the command line show,
/// our message, and the facts a front end may use (points required and available, the problems
/// a refused template has). Errors of the services below are mapped into it in one place,
/// ``init(_:)``.
public struct WorkflowError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }

        public static let notEnoughPoints = Code("not_enough_points")
        public static let invalidParams = Code("invalid_params")
        public static let invalidWorkflow = Code("invalid_workflow")
        public static let unknownTemplate = Code("unknown_template")
        /// The template cannot run on the ComfyUI servers: a node class or a model they lack.
        public static let templateUnavailable = Code("template_unavailable")
        /// No ComfyUI server answers.
        public static let comfyuiUnavailable = Code("comfyui_unavailable")
        public static let submissionFailed = Code("submission_failed")
        public static let generationFailed = Code("generation_failed")
        public static let generationTimeout = Code("generation_timeout")
        public static let mediaNotFound = Code("media_not_found")
        public static let mediaTooLarge = Code("media_too_large")
        public static let unsupportedMedia = Code("unsupported_media")
        public static let fetchRefused = Code("fetch_refused")
        public static let fetchFailed = Code("fetch_failed")
        public static let storageQuotaExceeded = Code("storage_quota_exceeded")
        public static let processingFailed = Code("processing_failed")
        public static let storageFailed = Code("storage_failed")
        public static let unknownUser = Code("unknown_user")
        /// A job id already used: a job id starts one run, and a second changes nothing.
        public static let duplicateID = Code("duplicate_id")
        public static let cancelled = Code("cancelled")
        /// trainModel: fewer images than training needs, or an image without a caption.
        public static let insufficientImages = Code("insufficient_images")
        public static let missingCaptions = Code("missing_captions")
        /// Anything not foreseen: a bug, reported with its text.
        public static let internalError = Code("internal_error")

        /// A code from another service's error, or one stored with a job's or a cook's end, kept as it is.
        public init(passing rawValue: String) { self.rawValue = rawValue }

        public var description: String { rawValue }

        /// Lets `catch WorkflowError.Code.notEnoughPoints` match a thrown ``WorkflowError``.
        public static func ~= (code: Code, error: any Error) -> Bool {
            (error as? WorkflowError)?.code == code
        }
    }

    public let code: Code
    public let message: String
    /// For `not_enough_points`: what the request needs and what is available.
    public var required: Int?
    public var available: Int?
    /// For `template_unavailable` and `invalid_params`: each thing found wrong.
    public var problems: [String]

    public init(_ code: Code, _ message: String, required: Int? = nil, available: Int? = nil, problems: [String] = []) {
        self.code = code
        self.message = message
        self.required = required
        self.available = available
        self.problems = problems
    }

    /// The workflow error for anything a service threw.
    public init(_ error: any Error) {
        switch error {
        case let error as WorkflowError:
            self = error
        case let error as StudioError:
            self.init(Code(passing: error.code.rawValue), error.message, required: error.required, available: error.available,
                      problems: error.problems.map(\.description))
        case let error as MediaError:
            self.init(Code(passing: error.code.rawValue), error.message)
        case let error as VipsError:
            self.init(MediaError(vips: error))
        case let error as ComfyUIError:
            self.init(comfyUI: error)
        case is CancellationError:
            self.init(.cancelled, "the request was cancelled")
        default:
            self.init(.internalError, "\(error)")
        }
    }

    private init(comfyUI error: ComfyUIError) {
        let problems = error.problems.map(\.description)
        switch error.code {
        case .graphRejected, .validationFailed: self.init(.templateUnavailable, error.message, problems: problems)
        case .serverUnreachable: self.init(.comfyuiUnavailable, error.message)
        case .timedOut: self.init(.generationTimeout, error.message)
        case .invalidInput: self.init(.invalidParams, error.message, problems: problems)
        case .interrupted: self.init(.cancelled, error.message)
        default: self.init(.generationFailed, error.message, problems: problems)
        }
    }

    public var description: String { "\(code): \(message)" }
}

/// Runs `body`, its failure as a ``WorkflowError``: what every workflow's public entry points throw.
@discardableResult
func withWorkflowErrors<Value>(_ body: () async throws -> Value) async throws -> Value {
    do { return try await body() } catch { throw WorkflowError(error) }
}
