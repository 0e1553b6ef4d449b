import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization
import TestSupport

/// A local HTTP server on 127.0.0.1 that behaves like the origins a media fetch meets: a
/// plain image, a liar, a slow drip, a 200 MB body, redirect loops and chains, and redirects
/// into private addresses. It counts the huge bodies it managed to write to the end.
final class OriginServer: Sendable {
    let url: URL
    /// What the huge routes wrote so far.
    let counter: ByteCounter
    /// Huge bodies written to their end (a client that stopped reading keeps this at zero).
    var hugeBodiesCompleted: Int { counter.completed.withLock { $0 } }
    /// Huge bodies begun.
    var hugeBodiesStarted: Int { counter.started.withLock { $0 } }
    private let task: Task<Void, any Error>

    static let hugeSize = 200 * 1024 * 1024

    static func start(image: Data) async throws -> OriginServer {
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let counter = ByteCounter()
        let router = Router()
        let chunk = ByteBuffer(repeating: 0x41, count: 64 * 1024)
        @Sendable func bytes(_ data: Data, type: String) -> Response {
            Response(status: .ok, headers: [.contentType: type], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        }
        @Sendable func redirect(_ location: String) -> Response {
            Response(status: .found, headers: [.location: location])
        }
        @Sendable func huge(announced: Bool) -> Response {
            Response(status: .ok, headers: [.contentType: "image/png"],
                     body: ResponseBody(contentLength: announced ? hugeSize : nil) { writer in
                         counter.started.withLock { $0 += 1 }
                         var sent = 0
                         while sent < hugeSize {
                             try await writer.write(chunk)
                             sent += chunk.readableBytes
                         }
                         try await writer.finish(nil)
                         counter.completed.withLock { $0 += 1 }
                     })
        }
        router.get("/image.png") { _, _ in bytes(image, type: "image/png") }
        router.get("/photo.jpg") { _, _ in bytes(image, type: "text/plain") }
        router.get("/liar.png") { _, _ in bytes(Data("<html><body>not an image</body></html>".utf8), type: "image/png") }
        router.get("/missing") { _, _ in Response(status: .notFound) }
        router.get("/slow") { _, _ in
            Response(status: .ok, headers: [.contentType: "image/png"], body: ResponseBody { writer in
                for _ in 0..<600 {
                    try await writer.write(ByteBuffer(bytes: [0x89]))
                    try await Task.sleep(for: .milliseconds(100))
                }
                try await writer.finish(nil)
            })
        }
        router.get("/huge") { _, _ in huge(announced: false) }
        router.get("/huge-announced") { _, _ in huge(announced: true) }
        router.get("/loop/a") { _, _ in redirect("/loop/b") }
        router.get("/loop/b") { _, _ in redirect("/loop/a") }
        router.get("/chain/:n") { _, context in
            let n = Int(context.parameters.get("n") ?? "0") ?? 0
            return n == 0 ? bytes(image, type: "image/png") : redirect("/chain/\(n - 1)")
        }
        router.get("/relative") { _, _ in redirect("image.png") }
        router.get("/to-metadata") { _, _ in redirect("http://169.254.169.254/latest/meta-data/") }
        router.get("/to-private") { _, _ in redirect("http://10.0.0.1/image.png") }
        router.get("/to-file") { _, _ in redirect("file:///etc/passwd") }
        var logger = Logger(label: "origin-server")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
                              logger: logger)
        let task = Task.server { try await app.runService() }
        var iterator = stream.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw CancellationError() }
        return OriginServer(url: URL(string: "http://127.0.0.1:\(port)")!, counter: counter, task: task)
    }

    private init(url: URL, counter: ByteCounter, task: Task<Void, any Error>) {
        self.url = url
        self.counter = counter
        self.task = task
    }

    /// The address of `path` on this server.
    func address(_ path: String) -> URL { url.appendingPathComponent(path) }

    deinit { task.cancel() }

    /// Huge bodies begun and finished, shared by the routes and the server object.
    final class ByteCounter: Sendable {
        let started = Mutex(0)
        let completed = Mutex(0)
    }
}
