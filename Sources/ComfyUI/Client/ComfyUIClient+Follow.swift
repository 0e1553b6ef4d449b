public import ComfyUIModel
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import WSClient

extension ComfyUIClient {
    /// Runs a graph while following it on the WebSocket: `onEvent` hears the start, each node,
    /// every sampler step and every preview. Completion is `executing` with `node: null` for our
    /// prompt (history is written by then). If the socket cannot open or drops, the run goes on
    /// and completion is found by polling `/history`. While nothing arrives, the queue is asked
    /// about once a second whether the prompt is still there (`removed_from_queue` when it was
    /// deleted before it ran). After `deadline` the prompt is interrupted and removed, and
    /// `timed_out` is thrown.
    ///
    /// - Parameter previewMetadata: ask for previews with their node and prompt (binary layout 4)
    ///   rather than bare images (layout 1).
    public func runFollowingEvents(_ graph: [String: JSONValue], clientID: String = ClientID.new(), deadline: Duration = .seconds(600),
                                   previewMetadata: Bool = true, connectWithin: Duration = .seconds(5),
                                   onEvent: @escaping @Sendable (RunEvent) -> Void) async throws -> RunResult {
        let start = clock.now
        let end = start + deadline
        let following = try await startFollowing(clientID: clientID, previewMetadata: previewMetadata, onEvent: onEvent,
                                                  connectWithin: min(connectWithin, deadline))
        defer { following.stop() }
        let submission = try await submit(graph, clientID: clientID)
        let record = try await following.follow(submission.promptID, until: end)
        return try await result(of: record, graphNodes: Set(graph.keys), waited: clock.now - start)
    }

    /// Opens the WebSocket for `clientID` and waits (at most `connectWithin`) until it is open, so
    /// that no message of a prompt submitted next is missed. The run goes on without it if it
    /// does not open.
    public func startFollowing(clientID: String, previewMetadata: Bool = true,
                               onEvent: @escaping @Sendable (RunEvent) -> Void,
                               connectWithin: Duration = .seconds(5)) async throws -> RunFollower {
        let watcher = RunWatcher(clock: clock, onEvent: onEvent)
        let url = socketURL(clientID: clientID)
        let socket = SocketTask(Task { await Self.follow(url, previewMetadata: previewMetadata, watcher: watcher) })
        _ = await watcher.waitUntilConnected(within: connectWithin)
        return RunFollower(client: self, watcher: watcher, socket: socket, url: url, previewMetadata: previewMetadata)
    }

    /// `ws://host:port/ws?clientId=…` for this server.
    func socketURL(clientID: String) -> String {
        var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false) ?? URLComponents()
        components.scheme = components.scheme == "https" ? "wss" : "ws"
        components.path = (components.path.hasSuffix("/") ? String(components.path.dropLast()) : components.path) + "/ws"
        components.queryItems = [URLQueryItem(name: "clientId", value: clientID)]
        return components.string ?? "ws://127.0.0.1:8188/ws?clientId=\(clientID)"
    }

    /// Reads the socket until it closes or the task is cancelled, handing every message over.
    /// Reads one socket until it closes; returns whether it opened at all.
    @discardableResult
    static func follow(_ url: String, previewMetadata: Bool, watcher: RunWatcher) async -> Bool {
        var logger = Logger(label: "darkroom.comfyui.ws")
        logger.logLevel = .critical
        // Previews are whole images (a 512 px JPEG is ~80 kB): allow large frames, but not without end.
        let configuration = WebSocketClientConfiguration(maxFrameSize: 16 * 1024 * 1024)
        let opened = NIOLockedValueBox(false)
        _ = try? await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) { inbound, outbound, _ in
            opened.withLockedValue { $0 = true }
            if previewMetadata {
                // Only the first message a client sends is read, and only for these flags.
                try await outbound.write(.text(#"{"type": "feature_flags", "data": {"supports_preview_metadata": true}}"#))
            }
            for try await message in inbound.messages(maxSize: 16 * 1024 * 1024) {
                switch message {
                case .text(let text):
                    if let decoded = try? JSONDecoder().decode(ServerMessage.self, from: Data(text.utf8)) { await watcher.receive(decoded) }
                case .binary(let buffer):
                    if let frame = BinaryFrame(Data(buffer.readableBytesView)) { await watcher.receive(frame) }
                }
            }
        }
        await watcher.socketClosed()
        return opened.withLockedValue { $0 }
    }

    /// Reopens the socket of a run whose socket closed, again and again (waiting 0.25 s, then
    /// twice as long each time, 2 s at most) until one opens or the run ends (the follower
    /// cancels this task then); history decides the run's end meanwhile.
    static func reconnect(_ url: String, previewMetadata: Bool, watcher: RunWatcher) async {
        var attempt = 0
        while !Task.isCancelled {
            if attempt > 0 { try? await Task.sleep(for: .milliseconds(min(2_000, 125 << min(attempt, 5)))) }
            attempt += 1
            if await follow(url, previewMetadata: previewMetadata, watcher: watcher) { return }
        }
    }
}

/// The task reading the current socket; replaced on reconnect, cancelled when the run ends.
final class SocketTask: Sendable {
    private let task: NIOLockedValueBox<Task<Void, Never>>

    init(_ task: Task<Void, Never>) { self.task = NIOLockedValueBox(task) }

    func replace(with newTask: Task<Void, Never>) {
        task.withLockedValue { current in
            current.cancel()
            current = newTask
        }
    }

    func cancel() { task.withLockedValue { $0.cancel() } }
}
