extension Task where Success == Void, Failure == any Error {
    /// Starts a server a test talks to (the API, the ComfyUI test server, an origin) on Swift's
    /// global executor, where `darkroom serve` runs: a task started in a test would otherwise
    /// inherit the test's preference for ``TestThreads`` and wait behind other tests' blocking work.
    public static func server(_ operation: sending @escaping @isolated(any) () async throws -> Void) -> Task<Void, any Error> {
        Task(executorPreference: globalConcurrentExecutor, operation: operation)
    }
}
