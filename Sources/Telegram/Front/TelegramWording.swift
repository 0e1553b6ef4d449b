import Foundation
import Media
import ComfyUIModel
import Studio
import Workflows

/// What the bot says: short, human, and the same everywhere. Errors become a sentence a user can
/// act on, never a code dump.
enum TelegramWording {
    static let help = """
        Send a description and I will make an image of it (or /make a lighthouse at dusk).
        Send a photo to resize, convert, crop, upscale or cut it out.
        /settings — size, steps, images at once · /balance — your points · /history — what you made lately · /help — this
        /datasets — train a model of your own · /collections — keep what you like together
        """

    static func welcome(_ balance: PointsBalance) -> String {
        "Welcome to Darkroom. " + help + "\n\nYou have \(balance.available) points."
    }

    static func balance(_ balance: PointsBalance) -> String {
        var text = "\(balance.available) points available: \(balance.capacity - balance.used) of your \(balance.capacity) allowance"
        if balance.credits > 0 { text += ", \(balance.credits) credits" }
        if balance.held > 0 { text += " (\(balance.held) held for running jobs)" }
        text += "."
        if let next = balance.nextRegenerationAt {
            text += " Used points come back over time; the next at \(clock(next)) UTC."
        }
        return text
    }

    static func history(_ entries: [HistoryEntry]) -> String {
        guard !entries.isEmpty else { return "Nothing made yet. Send a description to start." }
        return "Lately:\n" + entries.map { "• \($0.prompt.prefix(80)) (\(day($0.at)))" }.joined(separator: "\n")
    }

    /// The status message's text for a step of the job; `nil` for steps not worth an edit.
    static func status(_ progress: MakeImage.Progress) -> String? {
        switch progress {
        case .held(_, let points): "\(points) points held. Sending it to a server…"
        case .queued(let position, let wait):
            switch (position, wait) {
            case (0?, _): "Next in line…"
            case (let position?, let wait?): "In the queue: \(position) ahead of you, about \(seconds(wait)) s."
            case (let position?, nil): "In the queue: \(position) ahead of you."
            default: "In the queue…"
            }
        case .generation(.progress(node: _, value: let value, max: let max)): "Making it: step \(value) of \(max)."
        case .generation(.started): "Making it…"
        case .finishing: "Finishing…"
        default: nil
        }
    }

    /// An operation on ComfyUI as a user calls it.
    static func operation(_ operation: MediaOperation) -> String {
        switch operation {
        case .upscale(let scale, _): "Upscaling \(scale == scale.rounded() ? String(Int(scale)) : String(scale))×"
        case .removeBackground: "Removing the background"
        default: "Processing"
        }
    }

    /// The status message's text for a step of an operation on ComfyUI; `nil` for steps not worth an edit.
    static func status(_ progress: MediaProcessingProgress, of operation: MediaOperation) -> String? {
        let name = Self.operation(operation)
        return switch progress {
        case .held(let points): "\(name): \(points) points held. Sending it to a server…"
        case .tile(let index, let count): "\(name): part \(index) of \(count)…"
        case .generation(.queued): "\(name): in the queue…"
        case .generation(.progress(_, let value, let max)): "\(name): step \(value) of \(max)."
        case .finishing: "\(name): finishing…"
        default: nil
        }
    }

    static func processed(_ result: MediaProcessing.Result, operation: MediaOperation) -> String {
        let size = result.output.width.flatMap { w in result.output.height.map { " \(w)×\($0)" } } ?? ""
        return "\(Self.operation(operation)): done\(size) in \(String(format: "%.1f", result.runSeconds)) s, \(result.cost) points."
    }

    /// The status of a run picked up after a restart.
    static func pickedUp(_ prompt: String) -> String {
        String("Still on it after a restart: “\(prompt.prefix(200))”".prefix(BotAPILimits.textLength))
    }

    static func done(_ result: TelegramDelivery) -> String {
        "Done in \(String(format: "%.1f", result.runSeconds)) s: \(result.cost) points" + (result.available.map { ", \($0) left." } ?? ".")
    }

    /// The images' caption: the seed, the size, the settings and the job (within Telegram's 1 024 characters).
    static func caption(_ result: TelegramDelivery, first: MediaRecord?) -> String {
        let seed = result.seed.map { "seed \($0)" } ?? "seed unknown"
        let size = first.flatMap { record in record.width.flatMap { w in record.height.map { "\(w)×\($0)" } } }
        return String(([seed, size] + result.settings + ["job \(result.job)"]).compactMap { $0 }.joined(separator: " · ").prefix(BotAPILimits.captionLength))
    }

    static func failure(_ error: any Error) -> String {
        let error = WorkflowError(error)
        switch error.code {
        case .notEnoughPoints:
            if let required = error.required, let available = error.available {
                return "Not enough points: this needs \(required), you have \(available). They come back over time; /balance says when."
            }
            return "Not enough points for that; /balance says when more come back."
        case .comfyuiUnavailable: return "No image server answers right now; try again in a few minutes. Nothing was charged."
        case .generationTimeout: return "That took too long and was stopped. Nothing was charged."
        case .cancelled: return "Cancelled. Nothing was charged."
        case .duplicateID: return "That one is already on its way."
        case .invalidParams, .submissionFailed, .templateUnavailable: return "That cannot be made as asked: \(error.message.prefix(300))"
        case .mediaTooLarge: return "That file is too large: \(error.message.prefix(200))"
        case .unsupportedMedia: return "That is not an image I can read."
        case .storageQuotaExceeded: return "Your storage is full; delete something first."
        case .insufficientImages, .missingCaptions: return "Not ready for training: \(error.message.prefix(300))"
        default:
            switch error.code.rawValue {
            case "too_many_jobs": return "You already have as many images on the way as you may; wait for one to finish."
            case "dataset_not_found": return "That dataset is gone."
            case "collection_not_found": return "That collection is gone."
            case "dataset_state_conflict", "collection_state_conflict", "too_many_datasets", "too_many_collections", "invalid_prompt":
                return String(error.message.prefix(300))
            case "invalid_settings":
                return String("Not allowed: \(error.problems.isEmpty ? error.message : error.problems.joined(separator: "; "))".prefix(190))
            default: break
            }
            return "Something went wrong (\(error.code.rawValue)); please try again."
        }
    }

    private static func seconds(_ duration: Duration) -> Int { Int(duration.components.seconds) }

    private static func clock(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    private static func day(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "d MMM"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
