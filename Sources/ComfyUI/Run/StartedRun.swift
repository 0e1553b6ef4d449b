public import ComfyUIModel

/// A run submitted and being followed: record its ``ticket`` before waiting for it.
public struct StartedRun: Sendable {
    /// Where the run is: enough to resume watching it after a restart.
    public let ticket: JobTicket
    public let prepared: PreparedRun
    let follower: RunFollower
    /// When it was submitted, on the client's clock.
    let submittedAt: Duration
}
