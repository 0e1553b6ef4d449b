public import ComfyUIModel
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// What the workflows need from the generation back end: check a template before anything is
/// reserved for it, and run it. `ComfyUIRunner` is the implementation; the composition root
/// hands it in.
public protocol ImageGenerating: Sendable {
    /// Checks that `template`, filled with `values`, can run (its node classes, models and values
    /// fit a server), without queuing anything. Throws `graph_rejected` with every problem.
    func check(_ template: WorkflowTemplate, values: [String: JSONValue]) async throws

    /// Runs `template` with `values`, uploading `images` for its image inputs (by input name),
    /// and returns the images it saved and the server's run time.
    func run(_ template: WorkflowTemplate, values: [String: JSONValue], images: [String: Data], deadline: Duration,
             onEvent: @escaping @Sendable (RunEvent) -> Void) async throws -> RunResult

    /// Uploads, fills, checks and submits; returns as soon as the server queued the prompt.
    func submit(_ template: WorkflowTemplate, values: [String: JSONValue], images: [String: Data], deadline: Duration,
                onEvent: @escaping @Sendable (RunEvent) -> Void) async throws -> any GenerationInProgress

    /// Waits for a run submitted earlier (by this process or one that stopped) and fetches its images.
    func resume(_ ticket: JobTicket, deadline: Duration) async throws -> RunResult

    /// Stops a run: interrupts it if it runs, removes it from the queue if it waits.
    func cancel(_ ticket: JobTicket) async throws

    /// The values a server of the pool lists for input `input` of node class `classType` (the
    /// samplers of `KSampler`, the checkpoints of `CheckpointLoaderSimple`…); `nil` when that
    /// input is not a list or the server lacks the class.
    func choices(classType: String, input: String) async throws -> [String]?

    /// How many prompts wait before `ticket`'s on its server (0: it runs or is next); `nil` when
    /// it is no longer queued.
    func queuePosition(of ticket: JobTicket) async throws -> Int?
}
