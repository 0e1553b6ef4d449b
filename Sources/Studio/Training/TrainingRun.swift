public import ComfyUIModel
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A dataset's training run on a ComfyUI server: what was sent, where it runs (recorded before
/// waiting, so that a restarted process can pick the run up) and what came of it.
public struct TrainingRun: Sendable, Codable, Equatable {
    /// The `lora_train` template that runs.
    public var template: String
    /// The input subfolder on the server that holds the images and their captions.
    public var folder: String
    /// The saved LoRA's file prefix (`loras/darkroom-…`), unique to this run.
    public var prefix: String
    /// Every template input's value (the folder and the prefix included).
    public var values: [String: JSONValue]
    /// The submitted prompt; `nil` until the server queued it.
    public var ticket: JobTicket?
    /// When the run must have ended; it is interrupted then.
    public var deadline: Date
    public var startedAt: Date
    /// The server's run time, once it ended.
    public var runSeconds: Double?
    /// Something the owner should know about the result (the server does not list the LoRA for
    /// `LoraLoader`, so prompts cannot use it there yet).
    public var note: String?

    public init(template: String, folder: String, prefix: String, values: [String: JSONValue], deadline: Date, startedAt: Date) {
        self.template = template
        self.folder = folder
        self.prefix = prefix
        self.values = values
        self.deadline = deadline
        self.startedAt = startedAt
    }

    enum CodingKeys: String, CodingKey {
        case template, folder, prefix, values, ticket, deadline, note
        case startedAt = "started_at", runSeconds = "run_seconds"
    }
}
