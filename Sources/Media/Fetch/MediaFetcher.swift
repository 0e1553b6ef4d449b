import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Fetches media from http(s) URLs the way a careful image proxy does: the name is resolved
/// once per hop and every address checked against the ``AddressPolicy`` before a byte is sent;
/// the connection goes to the checked address (the name still verifies TLS); redirects are
/// followed by hand, each hop checked again; the body is cut off at the size cap while it
/// streams; the whole fetch has one deadline. Nothing here trusts the extension or the
/// `Content-Type`.
public struct MediaFetcher: Sendable {
    public let limits: FetchLimits
    private let resolver: any HostResolver

    public init(limits: FetchLimits = FetchLimits(), resolver: any HostResolver = SystemHostResolver()) {
        self.limits = limits
        self.resolver = resolver
    }

    /// Fetches `url`. Throws `fetch_refused` (scheme, credentials, a refused address, at any hop),
    /// `fetch_failed` (no answer, an error status, too many redirects, past the deadline) or
    /// `media_too_large` (a body over the cap, refused from its announced length or cut off).
    public func fetch(_ url: URL) async throws -> FetchedMedia {
        let limits = limits
        return try await withThrowingTaskGroup(of: FetchedMedia?.self) { group in
            group.addTask { try await follow(url) }
            group.addTask {
                try await Task.sleep(for: limits.totalTimeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let fetched = first else {
                throw MediaError(.fetchFailed, "fetching \(url.absoluteString) took longer than \(limits.totalTimeout)")
            }
            return fetched
        }
    }

    /// Checks the address of `url` (without connecting) and returns where a fetch would connect.
    public func checkedTarget(of url: URL) async throws -> (host: String, address: IPAddress) {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw MediaError(.fetchRefused, "only http and https addresses are fetched, not '\(url.scheme ?? "")'")
        }
        guard url.user == nil, url.password == nil else {
            throw MediaError(.fetchRefused, "an address with credentials in it is not fetched")
        }
        guard var host = url.host, !host.isEmpty else {
            throw MediaError(.fetchRefused, "the address \(url.absoluteString) has no host")
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let addresses: [IPAddress]
        if let literal = IPAddress(host) {
            addresses = [literal]
        } else {
            guard host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." }), host.utf8.count <= 253 else {
                throw MediaError(.fetchRefused, "'\(host)' is not a host name")
            }
            addresses = try await resolver.addresses(of: host)
        }
        guard let chosen = addresses.first else { throw MediaError(.fetchFailed, "the name '\(host)' has no address") }
        for address in addresses {
            if let reason = limits.addresses.refusal(of: address) {
                let named = if IPAddress(host) == nil { "'\(host)' resolves to \(address), which is" }
                            else if host == address.description { "\(host) is" } else { "\(host) means \(address), which is" }
                throw MediaError(.fetchRefused, "\(named) \(reason); fetching from it is not allowed")
            }
        }
        return (host, chosen)
    }

    private func follow(_ start: URL) async throws -> FetchedMedia {
        var url = start, hops: [URL] = []
        while true {
            hops.append(url)
            let (host, address) = try await checkedTarget(of: url)
            var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow,
                                                         timeout: .init(connect: .nanoseconds(limits.connectTimeout.nanoseconds),
                                                                        read: .nanoseconds(limits.totalTimeout.nanoseconds)),
                                                         decompression: .disabled)
            configuration.dnsOverride = [host: address.description]
            let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
            do {
                let outcome = try await exchange(url, client: client)
                try await client.shutdown()
                switch outcome {
                case .body(let data, let type):
                    return FetchedMedia(data: data, url: url, hops: hops, claimedType: type)
                case .redirect(let next):
                    guard hops.count <= limits.maxRedirects else {
                        throw MediaError(.fetchFailed, "\(start.absoluteString) redirects more than \(limits.maxRedirects) times")
                    }
                    guard !hops.contains(next) else {
                        throw MediaError(.fetchFailed, "\(start.absoluteString) redirects in a loop (back to \(next.absoluteString))")
                    }
                    url = next
                }
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
    }

    private enum Outcome {
        case body(Data, type: String?)
        case redirect(URL)
    }

    private func exchange(_ url: URL, client: HTTPClient) async throws -> Outcome {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.headers.add(name: "User-Agent", value: "darkroom-media/1")
        request.headers.add(name: "Accept", value: "image/*")
        // Every fetch has a client of its own: the connection is never reused, and saying so lets
        // a refused body (over the cap) close it instead of being read to its end to keep it alive.
        request.headers.add(name: "Connection", value: "close")
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .nanoseconds(limits.totalTimeout.nanoseconds))
        } catch {
            throw Self.failure(error, url: url)
        }
        if [301, 302, 303, 307, 308].contains(response.status.code) {
            guard let location = response.headers.first(name: "Location"),
                  let next = URL(string: location, relativeTo: url)?.absoluteURL else {
                throw MediaError(.fetchFailed, "\(url.absoluteString) redirects without a usable Location")
            }
            return .redirect(next)
        }
        guard response.status == .ok else {
            throw MediaError(.fetchFailed, "\(url.absoluteString) answered \(response.status.code) \(response.status.reasonPhrase)")
        }
        if let announced = response.headers.first(name: "Content-Length").flatMap(Int.init), announced > limits.maxBytes {
            throw MediaError(.mediaTooLarge, "\(url.absoluteString) announces \(announced) bytes, more than the limit of \(limits.maxBytes)")
        }
        var data = Data()
        do {
            for try await chunk in response.body {
                guard data.count + chunk.readableBytes <= limits.maxBytes else {
                    throw MediaError(.mediaTooLarge, "\(url.absoluteString) sent more than the limit of \(limits.maxBytes) bytes; the rest was not read")
                }
                data.append(contentsOf: chunk.readableBytesView)
            }
        } catch let error as MediaError {
            throw error
        } catch {
            throw Self.failure(error, url: url)
        }
        return .body(data, type: response.headers.first(name: "Content-Type"))
    }

    private static func failure(_ error: any Error, url: URL) -> MediaError {
        if error is CancellationError { return MediaError(.fetchFailed, "fetching \(url.absoluteString) was cancelled") }
        return MediaError(.fetchFailed, "\(url.absoluteString) could not be fetched: \(error)")
    }
}

extension Duration {
    /// Whole nanoseconds, for NIO's `TimeAmount`.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
