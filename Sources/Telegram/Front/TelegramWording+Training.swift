import ComfyUIModel
import Foundation
import Studio

/// What the bot says about datasets and training.
extension TelegramWording {
    static let trainingHelp = """
        Train a model of your own: /dataset My dog rexdog starts one (the last word is the trigger word). \
        Send photos and press “Add to …”; a photo's caption becomes its caption, or /caption 3 a photo of rexdog. \
        /datasets shows where you are, /submit once \(TrainingDataset.minimumImages) captioned photos are in, /train once approved.
        """

    /// The line that carries a photo's caption in the message offering what to do with it (read
    /// back when "Add to …" is pressed).
    static let captionPrefix = "Caption: "

    static func photoCaption(in text: String) -> String? {
        text.split(separator: "\n").last { $0.hasPrefix(captionPrefix) }.map { String($0.dropFirst(captionPrefix.count)) }
    }

    static func datasets(_ datasets: [TrainingDataset], workedOn: String?) -> String {
        guard !datasets.isEmpty else { return "No datasets yet. " + trainingHelp }
        let lines = datasets.sorted { $0.createdAt < $1.createdAt }.map { dataset in
            "• \(dataset.name) (\(dataset.triggerWord))\(dataset.id == workedOn ? " ← the one you work on" : ""): " + state(of: dataset)
        }
        return String(("Your datasets:\n" + lines.joined(separator: "\n")).prefix(BotAPILimits.textLength))
    }

    /// Where a dataset is and what comes next.
    static func state(of dataset: TrainingDataset) -> String {
        switch dataset.state {
        case .draft: "in the making. " + remaining(dataset)
        case .submitted: "submitted, waiting for a reviewer (\(dataset.price ?? 0) points held)."
        case .approved: "approved: /train starts it."
        case .rejected: "rejected" + (dataset.review?.note.map { ": \($0)" } ?? "") + "; its points were given back."
        case .training: "training now."
        case .completed: "trained" + (dataset.loraName.map { ": \($0)" } ?? "") + "."
        case .failed: "failed (\(dataset.failure?.message.prefix(120) ?? "no reason kept")); its points were given back."
        }
    }

    /// How far a draft is from being submitted.
    static func remaining(_ dataset: TrainingDataset) -> String {
        let images = dataset.slots.enumerated().filter { $0.element.image != nil }
        let uncaptioned = images.filter { ($0.element.caption ?? "").isEmpty }.map { String($0.offset + 1) }
        var text = "\(images.count) of \(TrainingDataset.slotCount) images"
        if images.count < TrainingDataset.minimumImages {
            text += "; \(TrainingDataset.minimumImages - images.count) more to go"
        }
        if !uncaptioned.isEmpty {
            text += "; without a caption: \(uncaptioned.joined(separator: ", ")) (/caption \(uncaptioned[0]) …)"
        }
        if images.count >= TrainingDataset.minimumImages, uncaptioned.isEmpty { text += "; ready: /submit" }
        return text + "."
    }

    static func created(_ dataset: TrainingDataset) -> String {
        "Started \(dataset.name) (trigger word \(dataset.triggerWord)). Send photos of it and press “Add to \(dataset.name)”; "
            + "send each with a caption, or add one later with /caption 1 a photo of \(dataset.triggerWord) …"
    }

    static func added(_ dataset: TrainingDataset, slot: Int) -> String {
        let caption = dataset.slots[slot - 1].caption
        return "Added to \(dataset.name) as image \(slot)" + (caption.map { ", captioned “\($0.prefix(100))”" } ?? "") + ". " + remaining(dataset)
    }

    static func captioned(_ dataset: TrainingDataset, slot: Int) -> String {
        "Image \(slot) of \(dataset.name) is captioned. " + remaining(dataset)
    }

    static func submission(_ dataset: TrainingDataset, price: TrainingPrice, available: Int) -> String {
        var text = "Training \(dataset.name) costs \(price.amount) points"
        if price.discount > 0 { text += " (\(price.discount / 100)% off for your standing and what you have spent)" }
        text += ". They are held when you submit, taken when the model is trained, and given back if it is rejected or fails. "
        text += "You have \(available)."
        return text
    }

    static func submitted(_ dataset: TrainingDataset) -> String {
        "\(dataset.name) is submitted (\(dataset.price ?? 0) points held) and waits for a reviewer; /datasets shows when it is approved, then /train."
    }

    static func nothingToTrain(_ datasets: [TrainingDataset]) -> String {
        if let waiting = datasets.first(where: { $0.state == .submitted }) { return "\(waiting.name) still waits for a reviewer." }
        if let training = datasets.first(where: { $0.state == .training }) { return "\(training.name) is training already." }
        return "Nothing is approved for training. " + trainingHelp
    }

    static func trainingStarts(_ dataset: TrainingDataset) -> String {
        "Training \(dataset.name): sending its \(dataset.prepared.count) images to a server…"
    }

    /// The status of a training run for `event`; `nil` for events not worth an edit.
    static func training(_ dataset: TrainingDataset, _ event: RunEvent) -> String? {
        switch event {
        case .queued: "Training \(dataset.name): in the queue…"
        case .started: "Training \(dataset.name)…"
        case .progress(_, let value, let max): "Training \(dataset.name): step \(value) of \(max)."
        default: nil
        }
    }

    /// The status of a training picked up after a restart.
    static func stillTraining(_ dataset: TrainingDataset) -> String {
        "Still training \(dataset.name) after a restart…"
    }

    static func trained(_ dataset: TrainingDataset) -> String {
        "\(dataset.name) is trained" + (dataset.loraName.map { " as \($0)" } ?? "") + ": \(dataset.price ?? 0) points. "
            + "Its trigger word is \(dataset.triggerWord)."
    }
}
