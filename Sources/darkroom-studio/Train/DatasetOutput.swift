import ComfyUIModel
import CommandSupport
import Foundation
import Studio

/// How a training dataset reads on a terminal.
enum DatasetOutput {
    static func print(_ dataset: TrainingDataset, json: Bool) {
        if json { return JSONOutput.print(dataset) }
        details(dataset).forEach(Console.line)
    }

    /// `ds-…  draft  "my cat" (mycat)  7 images`.
    static func line(_ dataset: TrainingDataset) -> String {
        let price = dataset.price.map { "  \($0) points held" } ?? ""
        return "\(dataset.id)  \(dataset.state.rawValue)  \"\(dataset.name)\" (\(dataset.triggerWord))  \(dataset.imageCount) image\(dataset.imageCount == 1 ? "" : "s")\(price)"
    }

    static func details(_ dataset: TrainingDataset) -> [String] {
        var lines = [line(dataset)]
        for (index, slot) in dataset.slots.enumerated() where !slot.isEmpty {
            let number = String(index + 1).padding(toLength: 2, withPad: " ", startingAt: 0)
            lines.append("  \(number)  \(slot.image ?? "(no image)")  \(slot.caption.map { "\"\($0)\"" } ?? "(no caption)")")
        }
        if let review = dataset.review {
            lines.append("  review    \(review.approved ? "approved" : "rejected") by \(review.reviewer)\(review.note.map { ": \($0)" } ?? "")")
        }
        if let run = dataset.run {
            let server = run.ticket.map { "on \($0.server.absoluteString), prompt \($0.promptID)" } ?? "not yet submitted"
            lines.append("  training  \(run.template) \(server)\(run.runSeconds.map { ", \(Format.decimal($0, places: 1)) s" } ?? "")")
        }
        if let model = dataset.model { lines.append("  model     \(model)\(dataset.loraName.map { "  (LoraLoader: \($0))" } ?? "")") }
        if let note = dataset.run?.note { lines.append("  note      \(note)") }
        if let failure = dataset.failure { lines.append("  failure   [\(failure.code)] \(failure.message)") }
        return lines
    }
}
