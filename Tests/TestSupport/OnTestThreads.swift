public import Testing

/// Runs each test of a suite on ``TestThreads`` (see there for why).
public struct OnTestThreads: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        try await withTaskExecutorPreference(TestThreads.shared) { try await function() }
    }
}

extension Trait where Self == OnTestThreads {
    /// Runs the suite's tests on ``TestThreads``, off Swift's global executor.
    public static var onTestThreads: Self { OnTestThreads() }
}
