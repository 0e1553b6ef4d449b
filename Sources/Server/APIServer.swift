public import Hummingbird
public import Logging
import NIOCore

/// The API on a port: builds the Hummingbird application and runs it until a shutdown signal
/// (SIGINT, SIGTERM) or the task's cancellation; in-flight requests finish first.
public struct APIServer: Sendable {
    public let api: DarkroomAPI
    public let host: String
    public let port: Int

    public init(api: DarkroomAPI, host: String = "127.0.0.1", port: Int = 8080) {
        self.api = api
        self.host = host
        self.port = port
    }

    /// Serves until stopped; `onRunning` gets the port it listens on (the one picked for port 0).
    public func run(logger: Logger = Logger(label: "darkroom.serve"), onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = Application(router: api.router(), configuration: .init(address: .hostname(host, port: port), serverName: "darkroom"),
                              onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) }, logger: logger)
        try await app.runService()
    }
}
