import Foundation
import NIOCore
import NIOPosix

/// Whether anything listens at a server's host and port: one TCP connect, closed at once.
///
/// AsyncHTTPClient retries a refused connection until the request's deadline
/// (swift-server/async-http-client#743), so a server that is down would only be reported after
/// the whole request timeout. The client asks this instead when a request is slow to answer.
enum PortProbe {
    /// `nil` when a connection opened; otherwise why it could not.
    static func failure(connectingTo url: URL, within timeout: Duration = .seconds(2)) async -> String? {
        guard let host = url.host else { return "the URL has no host" }
        let port = url.port ?? (url.scheme == "https" ? 443 : 80)
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.milliseconds(Int64(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)))
        do {
            let channel = try await bootstrap.connect(host: host, port: port).get()
            try? await channel.close()
            return nil
        } catch {
            return reason(error)
        }
    }

    /// A short reason in words: "connection refused", "no answer within 2 s", …
    static func reason(_ error: any Error) -> String {
        switch error {
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first { return reason(first.error) }
            return error.dnsAAAAError != nil || error.dnsAError != nil ? "cannot resolve \(error.host)" : "\(error)"
        case let error as IOError:
            return String(cString: strerror(error.errnoCode)).lowercased()
        case ChannelError.connectTimeout(let timeout):
            return "no answer within \(timeout.nanoseconds / 1_000_000) ms"
        default:
            return "\(error)"
        }
    }
}
