import ComfyUIModel
import Studio

extension MakeImage {
    /// How many recent run times a wait estimate is made from.
    static let waitSampleSize = 20

    /// Tells the person waiting where their job is in the server's queue and about how long until
    /// its images are ready: at once, then whenever the position changes, until the job is next
    /// or running (or gone). Ends when its task is cancelled.
    func watchQueue(_ ticket: JobTicket, template: String, onProgress: @escaping @Sendable (Progress) -> Void) async {
        var last: Int?? = .none
        while !Task.isCancelled {
            let position = try? await dependencies.generator.queuePosition(of: ticket)
            if Task.isCancelled { return }
            if last != .some(position) {
                onProgress(.queued(position: position, wait: await estimatedWait(position: position, template: template)))
                last = .some(position)
            }
            guard let position, position > 0 else { return }
            try? await Task.sleep(for: dependencies.queuePollInterval)
        }
    }

    /// `(position + 1)` runs of the median length among the template's last completed jobs:
    /// those ahead, then its own. `nil` without a position or any completed job to go by.
    func estimatedWait(position: Int?, template: String) async -> Duration? {
        guard let position,
              let runs = try? await dependencies.jobs.recentRunSeconds(template: template, limit: Self.waitSampleSize),
              !runs.isEmpty else { return nil }
        let median = runs.sorted()[runs.count / 2]
        return .milliseconds(Int64((Double(position + 1) * median * 1_000).rounded()))
    }
}
