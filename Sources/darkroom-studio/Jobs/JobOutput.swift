import CommandSupport
import ComfyUIModel
import Foundation
import Studio

/// How a job reads on a terminal.
enum JobOutput {
    /// `job-…  completed  text2img  2 images  12 points  2026-12-02T06:30:00Z  "a lighthouse…"`.
    static func line(_ job: GenerationJob) -> String {
        let images = job.media.isEmpty ? "" : "  \(job.media.count) image\(job.media.count == 1 ? "" : "s")"
        let points = job.cost.map { "  \($0) points" } ?? (job.state.isOpen ? "  \(job.estimate) held" : "")
        return "\(job.id)  \(job.state.rawValue)  \(job.template)\(images)\(points)  \(timestamp(job.createdAt))  \"\(excerpt(job.prompt))\""
    }

    /// Every field worth reading, one per line.
    static func details(_ job: GenerationJob) -> [String] {
        var lines = [line(job)]
        lines.append("  prompt    \(job.prompt)")
        let values = job.values.filter { $0.key != "prompt" }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.string ?? $0.value.description)" }
        lines.append("  values    \(values.joined(separator: " "))")
        if let ticket = job.ticket { lines.append("  server    \(ticket.server.absoluteString), prompt \(ticket.promptID)") }
        if let seconds = job.runSeconds { lines.append("  ran       \(Format.decimal(seconds, places: 2)) s") }
        for media in job.media { lines.append("  image     \(media)") }
        if let failure = job.failure { lines.append("  failure   [\(failure.code)] \(failure.message)") }
        lines.append("  updated   \(timestamp(job.updatedAt)), deadline \(timestamp(job.deadline))")
        return lines
    }

    private static func excerpt(_ prompt: String) -> String {
        prompt.count <= 40 ? prompt : String(prompt.prefix(39)) + "…"
    }

    private static func timestamp(_ date: Date) -> String { date.ISO8601Format() }
}
