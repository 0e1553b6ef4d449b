public import ComfyUI
public import ComfyUIModel
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

extension ComfyUIRunner: ImageGenerating {
    public func run(_ template: WorkflowTemplate, values: [String: JSONValue], images: [String: Data], deadline: Duration,
                    onEvent: @escaping @Sendable (RunEvent) -> Void) async throws -> RunResult {
        try await run(Self.request(template, values: values, images: images, deadline: deadline), onEvent: onEvent).result
    }

    public func submit(_ template: WorkflowTemplate, values: [String: JSONValue], images: [String: Data], deadline: Duration,
                       onEvent: @escaping @Sendable (RunEvent) -> Void) async throws -> any GenerationInProgress {
        try await submit(Self.request(template, values: values, images: images, deadline: deadline), onEvent: onEvent)
    }

    /// Prepares and starts `request`; the wait for its end is the caller's.
    func submit(_ request: RunRequest, onEvent: @escaping @Sendable (RunEvent) -> Void) async throws -> any GenerationInProgress {
        let started = try await start(try await prepare(request, onEvent: onEvent), onEvent: onEvent)
        return Submitted(runner: self, started: started)
    }

    // `resume(_:deadline:)` is the runner's own.

    public func cancel(_ ticket: JobTicket) async throws {
        let client = await pool.client(for: ticket.server)
        let queue = try await client.queue()
        if queue.running.contains(where: { $0.promptID == ticket.promptID }) {
            try await client.interrupt(ticket.promptID)
        } else if queue.pending.contains(where: { $0.promptID == ticket.promptID }) {
            try await client.deletePending([ticket.promptID])
        }
    }

    public func queuePosition(of ticket: JobTicket) async throws -> Int? {
        let queue = try await pool.client(for: ticket.server).queue()
        if queue.running.contains(where: { $0.promptID == ticket.promptID }) { return 0 }
        guard let index = queue.pending.firstIndex(where: { $0.promptID == ticket.promptID }) else { return nil }
        return queue.running.count + index
    }

    public func choices(classType: String, input: String) async throws -> [String]? {
        Self.choices(in: try await pool.objectInfo(of: try await pool.pick()), classType: classType, input: input)
    }

    /// The list `info` gives for input `input` of `classType`, if it is one.
    static func choices(in info: ObjectInfo, classType: String, input: String) -> [String]? {
        guard let node = info.classes[classType], let spec = node.required[input] ?? node.optional[input],
              case .combo(let values) = spec.kind else { return nil }
        return values
    }

    private static func request(_ template: WorkflowTemplate, values: [String: JSONValue], images: [String: Data],
                                deadline: Duration) -> RunRequest {
        let uploads = images.mapValues { RunRequest.Upload(data: $0, filename: "darkroom-\(UUID().uuidString.lowercased()).png") }
        return RunRequest(.template(template, values: values), uploads: uploads, clientID: ClientID.new("gen"), deadline: deadline)
    }

    /// A run this runner started.
    private struct Submitted: GenerationInProgress {
        let runner: ComfyUIRunner
        let started: StartedRun
        var ticket: JobTicket { started.ticket }
        func finish() async throws -> RunResult { try await runner.finish(started).result }
    }
}
