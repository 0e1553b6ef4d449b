import Foundation
import Media
import Studio
import Synchronization
import Testing
import TestSupport
import Vips

/// Fetches against a local origin server (loopback opened by the allow-list, as an operator
/// would): what is refused, cut off, timed out, and what arrives.
@Suite(.onTestThreads, .serialized) struct MediaFetcherTests {
    let png: Data
    let origin: OriginServer

    init() async throws {
        png = try TestImages.photo(width: 64, height: 48).data(format: .png)
        origin = try await OriginServer.start(image: png)
    }

    func fetcher(_ limits: FetchLimits = FetchLimits(), resolver: any HostResolver = SystemHostResolver()) -> MediaFetcher {
        var limits = limits
        limits.addresses = AddressPolicy(allowed: [IPNetwork("127.0.0.0/8")!])
        return MediaFetcher(limits: limits, resolver: resolver)
    }

    @Test func fetchesTheBytesTheServerSends() async throws {
        let fetched = try await fetcher().fetch(origin.address("image.png"))
        #expect(fetched.data == png && fetched.claimedType == "image/png" && fetched.hops.count == 1)
    }

    @Test func followsRedirectsAndChecksEachHop() async throws {
        let fetched = try await fetcher().fetch(origin.address("chain/3"))
        #expect(fetched.data == png && fetched.hops.count == 4)
        let relative = try await fetcher().fetch(origin.address("relative"))
        #expect(relative.data == png && relative.url.path == "/image.png")
    }

    @Test func aRedirectIntoAPrivateAddressIsRefused() async throws {
        for path in ["to-metadata", "to-private", "to-file"] {
            await expectCode(.fetchRefused) { _ = try await fetcher().fetch(origin.address(path)) }
        }
        // Without the allow-list, the origin itself (on loopback) is refused.
        let unopened = MediaFetcher()
        await expectCode(.fetchRefused) { _ = try await unopened.fetch(origin.address("image.png")) }
    }

    @Test func redirectLoopsAndLongChainsFail() async throws {
        await expectCode(.fetchFailed) { _ = try await fetcher().fetch(origin.address("loop/a")) }
        await expectCode(.fetchFailed) { _ = try await fetcher(FetchLimits(maxRedirects: 2)).fetch(origin.address("chain/3")) }
        _ = try await fetcher(FetchLimits(maxRedirects: 3)).fetch(origin.address("chain/3"))
    }

    @Test func errorStatusesFail() async throws {
        await expectCode(.fetchFailed) { _ = try await fetcher().fetch(origin.address("missing")) }
    }

    @Test func aHugeBodyIsCutOffWhileItStreams() async throws {
        let limits = FetchLimits(maxBytes: 1 << 20)
        await expectCode(.mediaTooLarge) { _ = try await fetcher(limits).fetch(origin.address("huge")) }
        await expectCode(.mediaTooLarge) { _ = try await fetcher(limits).fetch(origin.address("huge-announced")) }
        // The client stopped reading at the cap and closed the connection: the server's writes
        // fail and neither 200 MB body is ever written to its end. (How much was written before
        // the close depends on the machine's load, so the count of bytes is not what is asserted.)
        let deadline = ContinuousClock.now + .seconds(30)
        while origin.hugeBodiesStarted < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        try await Task.sleep(for: .milliseconds(500))
        #expect(origin.hugeBodiesStarted == 2)
        #expect(origin.hugeBodiesCompleted == 0)
    }

    @Test func aSlowBodyHitsTheTotalDeadline() async throws {
        let started = ContinuousClock.now
        await expectCode(.fetchFailed) {
            _ = try await fetcher(FetchLimits(totalTimeout: .milliseconds(500))).fetch(origin.address("slow"))
        }
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func theTypeIsSniffedNotTrusted() async throws {
        // A PNG served as text/plain arrives as what it is; HTML served as image/png arrives as bytes, and the
        // service refuses it when it sniffs them.
        let mislabelled = try await fetcher().fetch(origin.address("photo.jpg"))
        #expect(mislabelled.data == png && mislabelled.claimedType == "text/plain")
        let liar = try await fetcher().fetch(origin.address("liar.png"))
        #expect(liar.claimedType == "image/png")
        let folder = TemporaryDirectory("media-fetch")
        let service = try MediaTestStores.service(in: folder, fetcher: fetcher())
        await expectCode(.unsupportedMedia) { _ = try await service.add(from: origin.address("liar.png"), owner: MediaTestStores.user) }
        let record = try await service.add(from: origin.address("photo.jpg"), owner: MediaTestStores.user)
        #expect(record.format == "png" && record.width == 64 && record.height == 48)
        #expect(record.source == "url:\(origin.address("photo.jpg").absoluteString)")
    }

    @Test func theNameIsResolvedOnceAndTheCheckedAddressIsUsed() async throws {
        // A resolver that answers loopback (allowed) first and a private address afterwards, as a
        // rebinding attacker's DNS would: the fetch connects to what it checked, asking once.
        let resolver = RebindingResolver(first: IPAddress("127.0.0.1")!, then: IPAddress("10.0.0.1")!)
        let port = origin.url.port!
        let fetched = try await fetcher(resolver: resolver).fetch(URL(string: "http://images.example:\(port)/image.png")!)
        #expect(fetched.data == png)
        #expect(resolver.calls == 1)
        await expectCode(.fetchRefused) {
            _ = try await fetcher(resolver: resolver).fetch(URL(string: "http://images.example:\(port)/image.png")!)
        }
    }
}

/// Answers `first` once, then `then`.
final class RebindingResolver: HostResolver {
    private let answers: Mutex<[IPAddress]>
    private let count = Mutex(0)

    init(first: IPAddress, then: IPAddress) { answers = Mutex([first, then]) }

    var calls: Int { count.withLock { $0 } }

    func addresses(of host: String) async throws -> [IPAddress] {
        count.withLock { $0 += 1 }
        return answers.withLock { $0.count > 1 ? [$0.removeFirst()] : [$0[0]] }
    }
}
