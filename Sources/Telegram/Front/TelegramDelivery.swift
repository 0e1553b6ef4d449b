import ComfyUIModel
import Foundation
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
    /// The settings it was made with, for the caption ("steps 20", "cfg 7", "euler normal", the checkpoint).
    var settings: [String]

    /// A finished run.
    init(_ result: MakeImage.Result) {
        job = result.job
        media = result.images.map(\.media.id)
        seed = result.seed
        cost = result.cost
        available = result.available
        runSeconds = result.runSeconds
        settings = Self.settings(of: result.values)
    }

    /// A completed job as recorded (its seed from its values).
    init(_ job: GenerationJob) {
        self.job = job.id
        media = job.media
        seed = if case .integer(let drawn)? = job.values["seed"] { drawn } else { nil }
        cost = job.cost ?? 0
        available = nil
        runSeconds = job.runSeconds ?? 0
        settings = Self.settings(of: job.values)
    }

    /// The values of a text-to-image template worth a caption, in a fixed order.
    static func settings(of values: [String: JSONValue]) -> [String] {
        func number(_ name: String) -> String? {
            guard let value = values[name]?.number else { return nil }
            return value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(format: "%.2g", value)
        }
        let sampling = [values["sampler"]?.string, values["scheduler"]?.string].compactMap { $0 }.joined(separator: " ")
        let checkpoint = values["checkpoint"]?.string.map { ($0 as NSString).deletingPathExtension }
        return [number("steps").map { "steps \($0)" }, number("cfg").map { "cfg \($0)" }, sampling.isEmpty ? nil : sampling, checkpoint]
            .compactMap { $0 }
    }
}
