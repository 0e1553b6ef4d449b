import Workflows

/// The code of the ``WorkflowError`` `body` throws; `nil` when it throws nothing, a description
/// when it throws something else.
func workflowErrorCode(_ body: () async throws -> Void) async -> String? {
    do {
        try await body()
        return nil
    } catch let error as WorkflowError {
        return error.code.rawValue
    } catch {
        return "not a WorkflowError: \(error)"
    }
}
