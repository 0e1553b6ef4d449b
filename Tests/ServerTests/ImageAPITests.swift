import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Server
import Testing
import TestSupport
import Vips

/// The on-the-fly image endpoint: signed paths only, the format picked from `Accept`, ETags and
/// caching headers, and the Media service's refusals.
@Suite(.onTestThreads) struct ImageAPITests {
    let user = "telegram:5472638766"

    @Test func aSignedPlanMakesTheImageInTheFormatTheClientAccepts() async throws {
        let api = try await APIFixture.start()
        defer { api.stop() }
        let key = try await api.clientKey()
        let photo = try TestImages.photo(width: 640, height: 400, seed: 9).data(format: .jpeg)
        let id = try #require(try await api.request(.POST, "/v1/media?user=\(user)", key: key, bytes: photo, contentType: "image/jpeg").json?["id"] as? String)
        let path = api.signer.path(plan: "thumbnail:128/format:auto", source: id)
        let plain = try await api.request(.GET, path)
        #expect(plain.status == 200 && plain.headers.first(name: "Content-Type") == "image/jpeg", "\(plain.text)")
        #expect(plain.headers.first(name: "Vary") == "Accept" && plain.headers.first(name: "Cache-Control")?.contains("immutable") == true)
        let image = try Image(data: plain.body)
        #expect(image.width == 128 && image.height == 80)
        let webp = try await api.request(.GET, path, headers: [("Accept", "image/webp,image/*")])
        let decoded = try Image(data: webp.body)
        #expect(webp.headers.first(name: "Content-Type") == "image/webp" && decoded.header.format == .webp)
        let avif = try await api.request(.GET, path, headers: [("Accept", "image/avif,image/webp")])
        #expect(avif.headers.first(name: "Content-Type") == "image/avif")
        // Weights count: a format refused with q=0 is not sent, and the higher weight wins.
        for (accept, type) in [("image/avif;q=0, image/webp", "image/webp"), ("image/avif; q=0.5, image/webp; q=0.9", "image/webp"),
                               ("image/webp;q=0, image/avif;q=0", "image/jpeg"), ("image/*, */*;q=0.8", "image/jpeg")] {
            let reply = try await api.request(.GET, path, headers: [("Accept", accept)])
            #expect(reply.headers.first(name: "Content-Type") == type, "\(accept)")
        }
        // The ETag is known before any work: a revalidation is a 304 with no body.
        let tag = try #require(plain.headers.first(name: "ETag"))
        let again = try await api.request(.GET, path, headers: [("If-None-Match", tag)])
        #expect(again.status == 304 && again.body.isEmpty)
        #expect(webp.headers.first(name: "ETag") != tag, "another format is another entity")
        // A fixed format does not vary by Accept.
        let fixed = try await api.request(.GET, api.signer.path(plan: "resize:64x64:fill/format:png", source: id))
        #expect(fixed.headers.first(name: "Content-Type") == "image/png" && fixed.headers.first(name: "Vary") == nil)
    }

    @Test func unsignedTamperedOrImpossibleRequestsAreRefused() async throws {
        let api = try await APIFixture.start()
        defer { api.stop() }
        let key = try await api.clientKey()
        let photo = try TestImages.photo(width: 64, height: 64, seed: 1).data(format: .png)
        let id = try #require(try await api.request(.POST, "/v1/media?user=\(user)", key: key, bytes: photo, contentType: "image/png").json?["id"] as? String)
        let signed = api.signer.path(plan: "thumbnail:32", source: id)
        let forged = signed.replacingOccurrences(of: "thumbnail:32", with: "thumbnail:4000")
        let tampered = try await api.request(.GET, forged)
        #expect(tampered.status == 403 && tampered.code == "invalid_signature")
        #expect(try await api.request(.GET, "/v1/img/nothing/thumbnail:32/\(id)").status == 403)
        #expect(try await api.request(.GET, "/v1/img/x").status == 404)
        let badPlan = try await api.request(.GET, api.signer.path(plan: "blur:3", source: id))
        #expect(badPlan.status == 400 && badPlan.code == "invalid_params", "\(badPlan.text)")
        let unknown = try await api.request(.GET, api.signer.path(plan: "thumbnail:32", source: "m_000000000000000000000000"))
        #expect(unknown.status == 404 && unknown.code == "media_not_found")
        let local = try await api.request(.GET, api.signer.path(plan: "thumbnail:32", source: "http://127.0.0.1:1/a.png"))
        #expect(local.status == 400 && local.code == "fetch_refused", "\(local.text)")
    }

    @Test func anAllowedURLIsFetchedAndItsETagComesFromItsBytes() async throws {
        let png = try TestImages.photo(width: 200, height: 100, seed: 3).data(format: .png)
        let origin = try await HeldOrigin.start(image: png)
        await origin.open()
        let api = try await APIFixture.start(fetchesFromLoopback: true)
        defer { api.stop() }
        let path = api.signer.path(plan: "thumbnail:50/format:webp", source: "url:" + origin.url.absoluteString.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
        let made = try await api.request(.GET, path)
        #expect(made.status == 200 && made.headers.first(name: "Content-Type") == "image/webp", "\(made.text)")
        #expect(try Image(data: made.body).width == 50)
        #expect(made.headers.first(name: "Cache-Control") == "public, max-age=86400")
        let tag = try #require(made.headers.first(name: "ETag"))
        let again = try await api.request(.GET, path, headers: [("If-None-Match", tag)])
        #expect(again.status == 304 && again.body.isEmpty)
        #expect(await origin.requests == 2, "a fetched source's ETag is known only once it is read")
    }

    @Test func aBurstBeyondTheQueueIsRefusedWith503AndTheRestServed() async throws {
        // One image at a time (the fixture's) and one waiting. The source's origin holds its answer,
        // so the first request stays at work until the test lets it go.
        let png = try TestImages.photo(width: 64, height: 64, seed: 5).data(format: .png)
        let origin = try await HeldOrigin.start(image: png)
        let api = try await APIFixture.start(imageQueue: 1, fetchesFromLoopback: true)
        defer { api.stop() }
        let path = api.signer.path(plan: "resize:32x32/format:jpeg", source: "url:" + origin.url.absoluteString.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
        let first = Task { try await api.request(.GET, path) }
        try await origin.waitForRequests(1)
        // Of five more at once, one takes the waiting place and four are refused at once, while
        // the first is still at work.
        let burst = try await withThrowingTaskGroup(of: APIFixture.Reply.self) { group in
            for _ in 0..<5 { group.addTask { try await api.request(.GET, path) } }
            var replies: [APIFixture.Reply] = []
            for try await reply in group {
                replies.append(reply)
                if replies.count == 4 { await origin.open() }
            }
            return replies
        }
        #expect(burst.prefix(4).allSatisfy { $0.status == 503 && $0.code == "server_busy" && $0.headers.first(name: "Retry-After") == "1" },
                "\(burst.map(\.status))")
        let replies = burst + [try await first.value]
        let statuses = replies.map(\.status).sorted()
        #expect(statuses == [200, 200, 503, 503, 503, 503], "\(statuses)")
        #expect(await origin.requests == 2, "a refused request never reads its source")
        #expect(try await api.request(.GET, path).status == 200, "a request after the burst is served")
        let metrics = try await api.request(.GET, "/metrics", key: api.admin).text
        #expect(metrics.contains(#"darkroom_onthefly_images_total{outcome="busy"} 4"#) && metrics.contains(#"darkroom_onthefly_images_total{outcome="made"} 3"#),
                "\(metrics)")
    }
}
