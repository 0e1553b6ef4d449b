import NIOPosix

/// A bounded set of dedicated threads for blocking libvips work.
///
/// libvips calls block, and Swift's cooperative thread pool has only as many threads as cores:
/// blocking it stalls every other task in the process (HTTP handlers, WebSocket readers). Async
/// code runs image work here instead:
///
/// ```swift
/// let jpeg = try await ImageWorkerPool.shared.run {
///     try Image.thumbnail(ofFile: path, width: 512).data(format: .jpeg)
/// }
/// ```
///
/// Submit a whole plan (load → process → save) as one job, not one call per operation.
public final class ImageWorkerPool: Sendable {
    private let pool: NIOThreadPool
    /// Number of dedicated threads.
    public let threads: Int

    /// The process-wide pool, ``VipsConfiguration/workerThreads`` wide (read at first use).
    public static let shared = ImageWorkerPool(threads: VipsRuntime.configuration.workerThreads)

    /// Starts a pool of `threads` dedicated threads (at least 1).
    public init(threads: Int) {
        self.threads = max(1, threads)
        pool = NIOThreadPool(numberOfThreads: self.threads)
        pool.start()
        VipsRuntime.start()
    }

    /// Runs `body` on one of the pool's threads and returns its result. Throws
    /// `VipsError` with code `cancelled` if the task was cancelled before the job started.
    public func run<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
        try Self.checkCancellation()
        return try await pool.runIfActive(body)
    }

    /// Stops the threads once queued jobs have finished.
    public func shutdown() async throws {
        try await pool.shutdownGracefully()
    }

    private static func checkCancellation() throws {
        if Task.isCancelled {
            throw VipsError(.cancelled, operation: "image job", message: "the job was cancelled before it started")
        }
    }
}
