import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Server
import Testing
import TestSupport
import Vips

/// The on-the-fly image endpoint: signed paths only, the format picked from `Accept`, ETags and
/// caching headers, and the Media service's refusals.
@Suite struct ImageAPITests {
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

    @Test func aBurstBeyondTheQueueIsRefusedWith503AndTheRestServed() async throws {
        let api = try await APIFixture.start(imageQueue: 1)
        defer { api.stop() }
        let key = try await api.clientKey()
        let photo = try TestImages.photo(width: 2400, height: 2400, seed: 5).data(format: .png)
        let id = try #require(try await api.request(.POST, "/v1/media?user=\(user)", key: key, bytes: photo, contentType: "image/png").json?["id"] as? String)
        let path = api.signer.path(plan: "resize:300x300/format:jpeg", source: id)
        // One image at a time and one waiting: of six at once, at least the last few are refused.
        let replies = try await withThrowingTaskGroup(of: APIFixture.Reply.self) { group in
            for _ in 0..<6 { group.addTask { try await api.request(.GET, path) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let refused = replies.filter { $0.status == 503 }
        #expect(!refused.isEmpty && refused.allSatisfy { $0.code == "server_busy" && $0.headers.first(name: "Retry-After") == "1" },
                "\(replies.map(\.status))")
        #expect(replies.filter { $0.status == 200 }.count >= 2 && replies.allSatisfy { [200, 503].contains($0.status) }, "\(replies.map(\.status))")
        #expect(try await api.request(.GET, path).status == 200, "a request after the burst is served")
    }
}
