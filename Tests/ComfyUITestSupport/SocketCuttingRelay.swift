public import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A TCP relay on 127.0.0.1 in front of a server (the test server or a real ComfyUI), which can
/// cut the WebSocket connections passing through it: how the dropped-socket scenario runs against
/// a server that cannot be told to drop one. Plain HTTP requests pass untouched.
public final class SocketCuttingRelay: Sendable {
    /// Point the client here.
    public let url: URL
    private let listener: any Channel
    private let connections: NIOLockedValueBox<[ObjectIdentifier: (client: any Channel, server: any Channel, isWebSocket: Bool)]>

    /// Starts relaying to `target` (an http URL with host and port).
    public static func start(to target: URL) async throws -> SocketCuttingRelay {
        let host = target.host ?? "127.0.0.1"
        let port = target.port ?? 80
        let connections = NIOLockedValueBox<[ObjectIdentifier: (client: any Channel, server: any Channel, isWebSocket: Bool)]>([:])
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.autoRead, value: false)
            .childChannelInitializer { client in
                ClientBootstrap(group: client.eventLoop)
                    .channelInitializer { server in
                        server.eventLoop.makeCompletedFuture { try server.pipeline.syncOperations.addHandler(Forwarder(to: client)) }
                    }
                    .connect(host: host, port: port)
                    .flatMapThrowing { server in
                        let key = ObjectIdentifier(client)
                        connections.withLockedValue { $0[key] = (client, server, false) }
                        try client.pipeline.syncOperations.addHandler(Forwarder(to: server) { firstBytes in
                            // A WebSocket starts as `GET /ws?clientId=…` (or `/api/ws`).
                            let isWebSocket = firstBytes.hasPrefix("GET /ws") || firstBytes.hasPrefix("GET /api/ws")
                            connections.withLockedValue { $0[key]?.isWebSocket = isWebSocket }
                        })
                        client.closeFuture.whenComplete { _ in connections.withLockedValue { _ = $0.removeValue(forKey: key) } }
                        client.setOption(.autoRead, value: true).whenComplete { _ in }
                    }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        guard let localPort = listener.localAddress?.port else { throw CocoaError(.fileWriteUnknown) }
        return SocketCuttingRelay(url: URL(string: "http://127.0.0.1:\(localPort)")!, listener: listener, connections: connections)
    }

    private init(url: URL, listener: any Channel,
                 connections: NIOLockedValueBox<[ObjectIdentifier: (client: any Channel, server: any Channel, isWebSocket: Bool)]>) {
        self.url = url
        self.listener = listener
        self.connections = connections
    }

    /// Closes every WebSocket connection open through the relay; returns how many.
    @discardableResult
    public func cutWebSockets() -> Int {
        let sockets = connections.withLockedValue { $0.values.filter(\.isWebSocket) }
        for socket in sockets {
            socket.client.close(promise: nil)
            socket.server.close(promise: nil)
        }
        return sockets.count
    }

    /// Stops listening and closes every connection.
    public func stop() async {
        try? await listener.close()
        for connection in connections.withLockedValue({ Array($0.values) }) {
            try? await connection.client.close()
            try? await connection.server.close()
        }
    }
}

/// Writes what one side reads to the other, and closes the other side when this one closes.
private final class Forwarder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let partner: any Channel
    private var onFirstBytes: ((String) -> Void)?

    init(to partner: any Channel, onFirstBytes: ((String) -> Void)? = nil) {
        self.partner = partner
        self.onFirstBytes = onFirstBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        if let onFirstBytes {
            onFirstBytes(String(decoding: buffer.readableBytesView.prefix(16), as: UTF8.self))
            self.onFirstBytes = nil
        }
        partner.writeAndFlush(buffer, promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        partner.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
