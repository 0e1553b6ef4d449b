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
        let uploads = images.mapValues { RunRequest.Upload(data: $0, filename: "darkroom-\(UUID().uuidString.lowercased()).png") }
        let request = RunRequest(.template(template, values: values), uploads: uploads, clientID: ClientID.new("media"), deadline: deadline)
        return try await run(request, onEvent: onEvent).result
    }
}
