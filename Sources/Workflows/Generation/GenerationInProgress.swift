public import ComfyUIModel

/// A generation submitted to a server: where it runs (record the ticket before waiting), and
/// the wait for its end.
public protocol GenerationInProgress: Sendable {
    var ticket: JobTicket { get }
    /// Follows the run to its end and fetches its images. Cancelling the task interrupts it.
    func finish() async throws -> RunResult
}
