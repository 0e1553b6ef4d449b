/// The errors of the Studio services: a stable snake_case code, our message, and the facts a
/// caller may show (required and available points, the setting and its range…).
public struct StudioError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// A hold was refused: fewer points available than the estimate.
        public static let notEnoughPoints = Code("not_enough_points")
        /// A request's values are malformed or out of range.
        public static let invalidParams = Code("invalid_params")
        /// One or more settings are out of range (see ``StudioError/problems``).
        public static let invalidSettings = Code("invalid_settings")
        /// No hold exists for that job.
        public static let holdNotFound = Code("hold_not_found")
        /// The job's hold was already released, so it cannot be settled.
        public static let holdReleased = Code("hold_released")
        /// The job was already settled, so its hold cannot be released.
        public static let jobAlreadySettled = Code("job_already_settled")
        /// The job belongs to another user.
        public static let jobBelongsToAnotherUser = Code("job_belongs_to_another_user")
        /// No such user.
        public static let unknownUser = Code("unknown_user")
        /// No such template.
        public static let unknownTemplate = Code("unknown_template")
        /// A template file or record is malformed.
        public static let invalidWorkflow = Code("invalid_workflow")
        /// The user already has as many jobs running or queued as they may.
        public static let tooManyJobs = Code("too_many_jobs")
        /// No such job (or not one of the asking user's).
        public static let jobNotFound = Code("job_not_found")
        /// A record with that id already exists (a job id used twice): nothing was written.
        public static let duplicateID = Code("duplicate_id")
        /// Storing more media would take the user past their storage quota.
        public static let storageQuotaExceeded = Code("storage_quota_exceeded")
        /// No such training dataset (or not one of the asking user's).
        public static let datasetNotFound = Code("dataset_not_found")
        /// The user already has as many training datasets as they may.
        public static let tooManyDatasets = Code("too_many_datasets")
        /// A submission has fewer images than training needs.
        public static let insufficientImages = Code("insufficient_images")
        /// A submission has an image without a caption.
        public static let missingCaptions = Code("missing_captions")
        /// The dataset is not in a state that allows this (editing after submission, reviewing a draft…).
        public static let datasetStateConflict = Code("dataset_state_conflict")

        /// No such collection or piece (or not one of the asking user's).
        public static let collectionNotFound = Code("collection_not_found")
        /// The user already has as many collections as they may.
        public static let tooManyCollections = Code("too_many_collections")
        /// The collection or piece is not in a state that allows this (cooking one with no series,
        /// reviewing a piece not made…).
        public static let collectionStateConflict = Code("collection_state_conflict")
        /// A master prompt that cannot be parsed or leaves no valid pick (the message points at the spot).
        public static let invalidPrompt = Code("invalid_prompt")
        public var description: String { rawValue }

        /// Lets `catch StudioError.Code.notEnoughPoints` match a thrown ``StudioError``.
        public static func ~= (code: Code, error: any Error) -> Bool {
            (error as? StudioError)?.code == code
        }
    }

    /// One setting that was refused: its name, what is allowed, what was received.
    public struct SettingProblem: Sendable, Equatable, Codable, CustomStringConvertible {
        public var setting: String
        public var allowed: String
        public var received: String

        public init(setting: String, allowed: String, received: String) {
            self.setting = setting
            self.allowed = allowed
            self.received = received
        }

        public var description: String { "\(setting): expected \(allowed) but received \(received)" }
    }

    public let code: Code
    public let message: String
    /// For `not_enough_points`: the points the request needs.
    public var required: Int?
    /// For `not_enough_points`: the points available now.
    public var available: Int?
    /// For `invalid_settings`: every setting refused.
    public var problems: [SettingProblem]

    public init(_ code: Code, _ message: String, required: Int? = nil, available: Int? = nil, problems: [SettingProblem] = []) {
        self.code = code
        self.message = message
        self.required = required
        self.available = available
        self.problems = problems
    }

    public var description: String { "\(code): \(message)" }
}
