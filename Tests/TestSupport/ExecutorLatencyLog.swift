import Foundation

/// A diagnostic for slow or flaky runs: with `DARKROOM_EXECUTOR_LOG=<file>` set, a thread starts a
/// task on Swift's global executor (where the servers the tests start run) once a second and
/// writes a line to the file for every task that waited more than half a second to start.
///
/// It is how the cause of requests left unanswered for 90 s was found: in a full run, new tasks
/// waited up to 41 s while test bodies held both of the executor's threads with blocking work.
/// With the tests on ``TestThreads``, the longest wait of a full run was under 2 s.
enum ExecutorLatencyLog {
    /// Starts the log once, if the environment asks for it.
    static let start: Void = {
        guard let path = ProcessInfo.processInfo.environment["DARKROOM_EXECUTOR_LOG"],
              FileManager.default.createFile(atPath: path, contents: nil),
              let file = FileHandle(forWritingAtPath: path) else { return }
        let origin = ContinuousClock.now
        Thread.detachNewThread {
            while true {
                let sent = ContinuousClock.now
                Task.detached {
                    let waited = ContinuousClock.now - sent
                    guard waited > .milliseconds(500) else { return }
                    file.write(Data("at \(sent - origin) a task waited \(waited) to start\n".utf8))
                }
                Thread.sleep(forTimeInterval: 1)
            }
        }
    }()
}
