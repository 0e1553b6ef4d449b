public import Dispatch

/// A serial executor on a dispatch queue of its own, for the state actor of a server a test
/// starts (the ComfyUI test server, the Bot API stand-in).
///
/// A default actor runs on the executor its caller prefers: a test calling into a server's
/// state would pull the actor onto ``TestThreads``, and the server's requests would then wait
/// behind other tests' blocking work. An actor that names this executor always runs on its queue.
public final class ServerExecutor: SerialExecutor {
    private let queue: DispatchQueue

    public init(_ label: String) {
        queue = DispatchQueue(label: label)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedSerialExecutor()) }
    }
}
