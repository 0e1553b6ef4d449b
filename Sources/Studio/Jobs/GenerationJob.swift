public import ComfyUIModel
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// One generation, recorded before anything is submitted and kept up to date at every step, so
/// that a process that stops can find it again: resume it, or release its points.
///
/// States: `held → submitted → running → completed | failed | cancelled | timed_out`. The id is
/// also the points job key (its hold and settlement).
public struct GenerationJob: Sendable, Codable, Equatable, Identifiable {
    public enum State: String, Sendable, Codable, CaseIterable {
        /// Points are held; nothing is queued yet.
        case held
        /// Queued on a server (the ticket says where).
        case submitted
        /// The server started it.
        case running
        case completed
        case failed
        case cancelled
        case timedOut = "timed_out"

        /// The states a job is still open in: it holds points and may need resuming.
        public static let open: Set<State> = [.held, .submitted, .running]

        public var isOpen: Bool { Self.open.contains(self) }
    }

    /// Why a job ended without images.
    public typealias Failure = JobFailure

    public var id: String
    public var user: UserID
    public var template: String
    public var prompt: String
    /// The template's input values the job runs with (the seed drawn included).
    public var values: [String: JSONValue]
    /// Points held.
    public var estimate: Int
    /// How the images are delivered: their format, and whether they are watermarked.
    public var format: String
    public var watermarked: Bool
    /// The stored input image (img2img), which the images are derived from.
    public var inputMedia: String?
    public var state: State
    /// Where it was submitted; `nil` until then.
    public var ticket: JobTicket?
    /// When it must have ended; past it the job is interrupted and released.
    public var deadline: Date
    /// Stored outputs, in the order the server saved them.
    public var media: [String]
    /// Points charged on completion.
    public var cost: Int?
    /// The server's run time, on completion: what the cost was charged on, and what wait
    /// estimates for the jobs after it are made from.
    public var runSeconds: Double?
    public var failure: Failure?
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String = GenerationJob.newID(), user: UserID, template: String, prompt: String, values: [String: JSONValue],
                estimate: Int, format: String = "png", watermarked: Bool = false, inputMedia: String? = nil,
                deadline: Date, createdAt: Date) {
        self.id = id
        self.user = user
        self.template = template
        self.prompt = prompt
        self.values = values
        self.estimate = estimate
        self.format = format
        self.watermarked = watermarked
        self.inputMedia = inputMedia
        self.state = .held
        self.deadline = deadline
        self.media = []
        self.createdAt = createdAt
        self.updatedAt = createdAt
    }

    /// A fresh id: `job-` and a lowercase UUID.
    public static func newID() -> String { "job-\(UUID().uuidString.lowercased())" }

    enum CodingKeys: String, CodingKey {
        case id, user, template, prompt, values, estimate, format, watermarked, state, ticket, deadline, media, cost, failure
        case inputMedia = "input_media", runSeconds = "run_seconds", createdAt = "created_at", updatedAt = "updated_at"
    }
}
