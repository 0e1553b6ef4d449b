import CommandSupport
import Workflows

/// Exit codes for the workflow commands (`media`, and those to come), one place.
enum WorkflowExit {
    /// Runs a workflow call, its failure mapped to one line and an exit code.
    static func running<Value>(_ body: () async throws -> Value) async throws -> Value {
        do { return try await body() } catch { throw failure(WorkflowError(error)) }
    }

    static func failure(_ error: WorkflowError) -> Failure {
        let status: Failure.Status = switch error.code {
        case .comfyuiUnavailable, .fetchFailed: .unavailable
        case .generationTimeout: .timedOut
        case .cancelled: .interrupted
        case .generationFailed, .processingFailed, .storageFailed, .internalError: .processing
        default: .input
        }
        var message = error.message
        if error.code == .unknownTemplate, message.contains("the catalogue is empty") {
            message += "; seed it with --templates DIR or DARKROOM_TEMPLATES (a folder of template files, such as the repository's templates/)"
        }
        if let required = error.required, let available = error.available {
            message += " (needs \(required), \(available) available)"
        }
        // Problems the message already lists are not repeated under it.
        let lines = [message] + error.problems.filter { !message.contains($0) }.map { "  \($0)" }
        return Failure(status, lines.joined(separator: "\n"), code: error.code.rawValue,
                       problems: error.problems.map { Failure.Problem(message: $0) })
    }
}
