import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization
import TestSupport

/// An image origin on 127.0.0.1 that answers `/image.png` only once its gate opens, so a test
/// can keep an on-the-fly request at work for exactly as long as it needs to.
final class HeldOrigin: Sendable {
    let url: URL
    private let gate: Gate
    private let task: Task<Void, any Error>

    static func start(image: Data) async throws -> HeldOrigin {
        let gate = Gate()
        let router = Router()
        router.get("/image.png") { _, _ in
            await gate.pass()
            return Response(status: .ok, headers: [.contentType: "image/png"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: image)))
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "held-origin")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
        let task = Task.server { try await app.runService() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw CancellationError() }
        return HeldOrigin(url: URL(string: "http://127.0.0.1:\(port)/image.png")!, gate: gate, task: task)
    }

    private init(url: URL, gate: Gate, task: Task<Void, any Error>) {
        self.url = url
        self.gate = gate
        self.task = task
    }

    deinit { task.cancel() }

    /// Requests that reached the origin so far (answered or held).
    var requests: Int { get async { await gate.arrived } }

    /// Answers every held request and all later ones at once.
    func open() async { await gate.open() }

    /// Waits until `count` requests have reached the origin.
    func waitForRequests(_ count: Int, within limit: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + limit
        while await gate.arrived < count {
            guard ContinuousClock.now < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    private actor Gate {
        /// Runs on a queue of its own, never on the thread of a test that calls in (see `ServerExecutor`).
        private let executor = ServerExecutor("held-origin")
        nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

        private(set) var arrived = 0
        private var isOpen = false
        private var held: [CheckedContinuation<Void, Never>] = []

        func pass() async {
            arrived += 1
            if isOpen { return }
            await withCheckedContinuation { held.append($0) }
        }

        func open() {
            isOpen = true
            held.forEach { $0.resume() }
            held = []
        }
    }
}
