public import Foundation

/// Threads of the tests' own, so that a test body's blocking work (libvips called directly, a
/// fixture image encoded) never holds a thread of Swift's global executor.
///
/// On Linux the global executor runs at most one job per core at a time: two on a 2-core CI
/// machine. Test bodies that decoded, encoded or resized synchronously held both for tens of
/// seconds, and the servers the tests start (the API, the ComfyUI test server) got no thread:
/// a request went unanswered for 90 s, a new task waited up to 41 s to start. Every suite runs
/// its tests here instead (``Trait/onTestThreads``); the servers run on the global executor
/// (``Task/server(_:)``), as `darkroom serve` does, with their own blocking work on
/// `ImageWorkerPool` as in production. `DARKROOM_EXECUTOR_LOG` shows the executor's waits
/// (``ExecutorLatencyLog``).
public final class TestThreads: TaskExecutor, @unchecked Sendable {
    /// The process-wide set: `DARKROOM_TEST_THREADS` threads, by default two per core. A test
    /// blocked in libvips waits for libvips' own workers while it holds its thread, so one per
    /// core left the CPU idle and tests behind; many more let so many image-heavy tests run at
    /// once that the tests' own deadlines (a ComfyUI answer within 10 s) went by.
    public static let shared: TestThreads = {
        ExecutorLatencyLog.start
        let configured = ProcessInfo.processInfo.environment["DARKROOM_TEST_THREADS"].flatMap(Int.init)
        return TestThreads(count: configured ?? 2 * ProcessInfo.processInfo.activeProcessorCount)
    }()

    // @unchecked: `jobs` is only touched with `condition` locked.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var next = 0

    init(count: Int) {
        for _ in 0..<max(1, count) {
            Thread.detachNewThread { [unowned self] in self.work() }
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while next == jobs.count { condition.wait() }
            let job = jobs[next]
            next += 1
            if next > 1024 {  // drop what has run, now and then, rather than shift on every job
                jobs.removeFirst(next)
                next = 0
            }
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
