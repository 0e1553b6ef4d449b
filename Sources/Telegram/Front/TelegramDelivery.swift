import ComfyUIModel
import Studio
import Workflows

/// What a finished generation brings to its chat: the images and the facts for the caption and
/// the final status. From a run followed to its end, or from a job read back after a restart.
struct TelegramDelivery: Sendable {
    var job: String
    var media: [String]
    var seed: Int64?
    var cost: Int
    /// Points available after the charge, when known.
    var available: Int?
    var runSeconds: Double

    init(_ result: MakeImage.Result) {
        job = result.job
        media = result.images.map(\.media.id)
        seed = result.seed
        cost = result.cost
        available = result.available
        runSeconds = result.runSeconds
    }

    /// A completed job as recorded (its seed from its values).
    init(_ job: GenerationJob) {
        self.job = job.id
        media = job.media
        seed = if case .integer(let drawn)? = job.values["seed"] { drawn } else { nil }
        cost = job.cost ?? 0
        available = nil
        runSeconds = job.runSeconds ?? 0
    }
}
