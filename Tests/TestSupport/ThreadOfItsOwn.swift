import Foundation

/// Runs blocking work (waiting for a program, reading its pipes) on a new thread and waits for
/// it without holding a thread of ``TestThreads`` or of Swift's global executor.
public func onThreadOfItsOwn<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Swift.Result { try body() }) }
    }
}
