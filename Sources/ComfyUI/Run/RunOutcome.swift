public import ComfyUIModel

/// A finished run: where it ran, the values it ran with, and its images.
public struct RunOutcome: Sendable {
    public let ticket: JobTicket
    public let values: [String: JSONValue]
    public let result: RunResult
}
