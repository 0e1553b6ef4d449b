import Logging
import PostgresNIO
public import Studio
import Synchronization

/// ``JobEventChannel`` on PostgreSQL's LISTEN/NOTIFY: one connection of the pool listens for as
/// long as anyone reads ``messages()`` (reconnecting, a second apart, when it is lost); publishing
/// is `pg_notify` on any connection. Messages are at most 7 900 bytes (the server's limit is 8 000).
public final class PostgresEventChannel: JobEventChannel {
    public let maximumMessageBytes = 7_900
    let client: PostgresClient
    let logger: Logger
    let channel: String
    private let listeners = Mutex<[Int: AsyncStream<String>.Continuation]>([:])
    private let listening = Mutex<Task<Void, Never>?>(nil)
    private let nextID = Atomic<Int>(0)

    init(client: PostgresClient, logger: Logger, channel: String) {
        self.client = client
        self.logger = logger
        self.channel = channel
    }

    deinit { stop() }

    /// Stops listening and ends every stream of ``messages()``.
    func stop() {
        listening.withLock { $0?.cancel() }
        for listener in listeners.withLock({ Array($0.values) }) { listener.finish() }
    }

    public func publish(_ message: String) async throws {
        _ = try await client.query("SELECT pg_notify(\(channel), \(message))", logger: logger).collect()
    }

    public func messages() -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        let id = nextID.add(1, ordering: .relaxed).newValue
        listeners.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in _ = self?.listeners.withLock { $0.removeValue(forKey: id) } }
        startListening()
        return stream
    }

    /// Starts the listening task once; it ends with the channel.
    private func startListening() {
        listening.withLock { task in
            guard task == nil else { return }
            let (client, channel, logger) = (client, channel, logger)
            task = Task { [weak self] in
                while !Task.isCancelled {
                    do {
                        try await client.withConnection { connection in
                            try await connection.listen(on: channel) { notifications in
                                for try await notification in notifications { self?.deliver(notification.payload) }
                            }
                        }
                    } catch {
                        if Task.isCancelled { return }
                        logger.warning("listening for job events failed; again in a second", metadata: ["error": "\(error)"])
                    }
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    private func deliver(_ message: String) {
        for listener in listeners.withLock({ Array($0.values) }) { listener.yield(message) }
    }
}
