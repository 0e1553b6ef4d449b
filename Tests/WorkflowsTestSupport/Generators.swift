public import ComfyUIModel
public import Foundation
public import Workflows

/// A generator that hands every call to `generator`, but for those it implements itself.
public protocol ForwardingGenerator: ImageGenerating {
    var generator: any ImageGenerating { get }
}

extension ForwardingGenerator {
    public func check(_ template: WorkflowTemplate, values: [String: JSONValue]) async throws { try await generator.check(template, values: values) }

    public func run(_ template: WorkflowTemplate, values: [String: JSONValue], images: [String: Data], deadline: Duration,
                    onEvent: @escaping @Sendable (RunEvent) -> Void) async throws -> RunResult {
        try await generator.run(template, values: values, images: images, deadline: deadline, onEvent: onEvent)
    }

    public func submit(_ template: WorkflowTemplate, values: [String: JSONValue], images: [String: Data], deadline: Duration,
                       onEvent: @escaping @Sendable (RunEvent) -> Void) async throws -> any GenerationInProgress {
        try await generator.submit(template, values: values, images: images, deadline: deadline, onEvent: onEvent)
    }

    public func resume(_ ticket: JobTicket, deadline: Duration) async throws -> RunResult { try await generator.resume(ticket, deadline: deadline) }
    public func cancel(_ ticket: JobTicket) async throws { try await generator.cancel(ticket) }
    public func queuePosition(of ticket: JobTicket) async throws -> Int? { try await generator.queuePosition(of: ticket) }
    public func choices(classType: String, input: String) async throws -> [String]? { try await generator.choices(classType: classType, input: input) }
}

/// A generator whose process "dies" right after submitting: the prompt is queued and the job
/// recorded as submitted, and then nothing more happens here (no release, no completion).
public struct DyingGenerator: ForwardingGenerator {
    let base: any ImageGenerating
    public var generator: any ImageGenerating { base }

    public init(base: any ImageGenerating) { self.base = base }

    public func submit(_ template: WorkflowTemplate, values: [String: JSONValue], images: [String: Data], deadline: Duration,
                       onEvent: @escaping @Sendable (RunEvent) -> Void) async throws -> any GenerationInProgress {
        Dead(ticket: try await base.submit(template, values: values, images: images, deadline: deadline, onEvent: onEvent).ticket)
    }

    /// A run whose process is gone: its ticket, and a finish that never comes.
    public struct Dead: GenerationInProgress {
        public let ticket: JobTicket

        public init(ticket: JobTicket) { self.ticket = ticket }

        public func finish() async throws -> RunResult {
            // The process is gone: this does not return (for a day).
            try await Task.sleep(for: .seconds(86_400))
            throw CancellationError()
        }
    }
}
