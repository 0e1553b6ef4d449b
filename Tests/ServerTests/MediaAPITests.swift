import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Server
import Studio
import StudioSQLite
import StudioTestSupport
import Testing
import TestSupport
import Vips

/// Media through the API: uploads, bytes with ETags and ranges, info, processing, listing,
/// deletion, and what is refused.
@Suite(.onTestThreads) struct MediaAPITests {
    let user = "telegram:5472638766"

    @Test func anUploadIsServedWithItsETagAndRangesProcessedListedAndDeleted() async throws {
        let api = try await APIFixture.start()
        defer { api.stop() }
        let key = try await api.clientKey()
        let photo = try TestImages.photo(width: 300, height: 200, seed: 3).data(format: .jpeg)
        let uploaded = try await api.request(.POST, "/v1/media?user=\(user)", key: key, bytes: photo, contentType: "image/jpeg")
        #expect(uploaded.status == 201 && uploaded.json?["format"] as? String == "jpeg" && uploaded.json?["owner"] as? String == user,
                "\(uploaded.text)")
        let id = try #require(uploaded.json?["id"] as? String)
        let whole = try await api.request(.GET, "/v1/media/\(id)", key: key)
        #expect(whole.status == 200 && whole.body == photo && whole.headers.first(name: "Content-Type") == "image/jpeg")
        let tag = try #require(whole.headers.first(name: "ETag"))
        for validator in [tag, "\"other\", W/\(tag)", "*"] {  // weak comparison, as RFC 9110 has If-None-Match
            #expect(try await api.request(.GET, "/v1/media/\(id)", key: key, headers: [("If-None-Match", validator)]).status == 304, "\(validator)")
        }
        #expect(try await api.request(.GET, "/v1/media/\(id)", key: key, headers: [("If-None-Match", "\"other\"")]).status == 200)
        // HEAD: the GET's status and headers, no body.
        let head = try await api.request(.HEAD, "/v1/media/\(id)", key: key)
        #expect(head.status == 200 && head.body.isEmpty && head.headers.first(name: "ETag") == tag
                && head.headers.first(name: "Content-Type") == "image/jpeg", "\(head.headers)")
        let first = try await api.request(.GET, "/v1/media/\(id)", key: key, headers: [("Range", "bytes=0-9")])
        #expect(first.status == 206 && first.body == photo.prefix(10) && first.headers.first(name: "Content-Range") == "bytes 0-9/\(photo.count)")
        let tail = try await api.request(.GET, "/v1/media/\(id)", key: key, headers: [("Range", "bytes=-5")])
        #expect(tail.status == 206 && tail.body == photo.suffix(5))
        let beyond = try await api.request(.GET, "/v1/media/\(id)", key: key, headers: [("Range", "bytes=\(photo.count)-")])
        #expect(beyond.status == 416 && beyond.headers.first(name: "Content-Range") == "bytes */\(photo.count)")
        let info = try await api.request(.GET, "/v1/media/\(id)/info", key: key)
        let header = try #require(info.json?["header"] as? [String: Any], "\(info.text)")
        #expect(header["width"] as? Int == 300 && header["has_alpha"] as? Bool == false && header["colour_space"] != nil, "\(info.text)")
        let processed = try await api.request(.POST, "/v1/media/\(id)/process", key: key, body: #"{"operation": "plan", "plan": "thumbnail:64/format:webp"}"#)
        #expect(processed.status == 201 && processed.json?["cost"] as? Int == 0, "\(processed.text)")
        let output = try #require((processed.json?["output"] as? [String: Any])?["id"] as? String)
        let thumbnail = try await api.request(.GET, "/v1/media/\(output)", key: key)
        let image = try Image(data: thumbnail.body)
        #expect(thumbnail.headers.first(name: "Content-Type") == "image/webp" && max(image.width, image.height) == 64)
        let listed = try await api.request(.GET, "/v1/users/\(user)/media", key: key)
        #expect((listed.json?["media"] as? [[String: Any]])?.compactMap { $0["id"] as? String }.sorted() == [id, output].sorted())
        for query in ["offset=-1", "limit=ten", "limit=501"] {
            #expect(try await api.request(.GET, "/v1/users/\(user)/media?\(query)", key: key).code == "invalid_params", "\(query)")
        }
        let web = try await api.clientKey("web")
        #expect(try await api.request(.GET, "/v1/media/\(id)", key: web).code == "media_not_found", "another platform's media is not shown")
        #expect(try await api.request(.DELETE, "/v1/media/\(id)", key: key).status == 204)
        #expect(try await api.request(.GET, "/v1/media/\(id)", key: key).status == 404)
    }

    @Test func aRangeNotServedAsOnePartGetsTheWholeBodyAndOnePastTheEndIsRefused() async throws {
        let api = try await APIFixture.start()
        defer { api.stop() }
        let key = try await api.clientKey()
        // Larger than the chunks a stored file is sent in (128 KiB), so parts span them.
        let photo = try TestImages.photo(width: 500, height: 400, seed: 5).data(format: .png)
        #expect(photo.count > 3 * 128 * 1_024, "\(photo.count)")
        let uploaded = try await api.request(.POST, "/v1/media?user=\(user)", key: key, bytes: photo, contentType: "image/png")
        let id = try #require(uploaded.json?["id"] as? String, "\(uploaded.text)")
        let whole = try await api.request(.GET, "/v1/media/\(id)", key: key)
        #expect(whole.status == 200 && whole.body == photo && whole.headers.first(name: "Content-Length") == "\(photo.count)")
        let tag = try #require(whole.headers.first(name: "ETag"))
        let across = try await api.request(.GET, "/v1/media/\(id)", key: key, headers: [("Range", "bytes=131000-393300")])
        #expect(across.status == 206 && across.body == photo.dropFirst(131_000).prefix(262_301))
        func get(_ headers: [(String, String)]) async throws -> APIFixture.Reply {
            try await api.request(.GET, "/v1/media/\(id)", key: key, headers: headers)
        }
        // Several ranges, a backwards one, another unit, garbage: every byte, with 200.
        for range in ["bytes=0-1,5-6", "bytes=9-3", "items=0-9", "bytes=a-b", "bytes=-"] {
            let reply = try await get([("Range", range)])
            #expect(reply.status == 200 && reply.body == photo && reply.headers.first(name: "Content-Range") == nil, "\(range)")
        }
        // If-Range: the current ETag lets the range through; another tag or a date gets the whole body.
        let matching = try await get([("Range", "bytes=10-19"), ("If-Range", tag)])
        #expect(matching.status == 206 && matching.body == photo.dropFirst(10).prefix(10))
        for validator in ["\"stale\"", "Wed, 21 Oct 2026 07:28:00 GMT"] {
            let reply = try await get([("Range", "bytes=10-19"), ("If-Range", validator)])
            #expect(reply.status == 200 && reply.body == photo, "\(validator)")
        }
        // A range that ends past the end is cut at the end; one that starts past it, or selects
        // no bytes, is refused with the length.
        let clipped = try await get([("Range", "bytes=\(photo.count - 4)-\(photo.count + 100)")])
        #expect(clipped.status == 206 && clipped.body == photo.suffix(4) && clipped.headers.first(name: "Content-Range") == "bytes \(photo.count - 4)-\(photo.count - 1)/\(photo.count)")
        for range in ["bytes=-0", "bytes=99999999999999999999999-"] {
            let reply = try await get([("Range", range)])
            #expect(reply.status == 416 && reply.code == "range_not_satisfiable" && reply.headers.first(name: "Content-Range") == "bytes */\(photo.count)", "\(range)")
        }
    }

    @Test func badUploadsAndAddressesAreRefusedWithTheirCodes() async throws {
        let api = try await APIFixture.start()
        defer { api.stop() }
        let key = try await api.clientKey()
        let garbage = try await api.request(.POST, "/v1/media?user=\(user)", key: key, bytes: Data("not an image".utf8), contentType: "image/png")
        #expect(garbage.status == 415 && garbage.code == "unsupported_media", "\(garbage.text)")
        // A truncated PNG passes the header check (uploads decode nothing more), and is refused
        // with its code when it is processed; nothing is stored for it.
        let truncated = try TestImages.photo(width: 300, height: 200, seed: 4).data(format: .png).prefix(200)
        let cut = try await api.request(.POST, "/v1/media?user=\(user)", key: key, bytes: Data(truncated), contentType: "image/png")
        let cutID = try #require(cut.json?["id"] as? String, "\(cut.text)")
        let failed = try await api.request(.POST, "/v1/media/\(cutID)/process", key: key, body: #"{"operation": "plan", "plan": "thumbnail:64"}"#)
        #expect((400...599).contains(failed.status) && failed.code != nil && failed.code != "internal_error", "\(failed.text)")
        #expect(try await api.request(.DELETE, "/v1/media/\(cutID)", key: key).status == 204)
        let local = try await api.request(.POST, "/v1/media?user=\(user)", key: key, body: #"{"url": "http://127.0.0.1:1/x.png"}"#)
        #expect(local.status == 400 && local.code == "fetch_refused", "\(local.text)")
        let noUser = try await api.request(.POST, "/v1/media", key: key, bytes: Data([1]), contentType: "image/png")
        #expect(noUser.status == 400 && noUser.code == "invalid_params")
        let badPlan = try await api.request(.POST, "/v1/media/m_0000/process", key: key, body: #"{"operation": "plan", "plan": "x"}"#)
        #expect(badPlan.status == 404, "an unknown id is not found before the plan is read")
        #expect(try await api.request(.GET, "/v1/users/\(user)/media", key: key).json?["media"] as? [Any] != nil)
        #expect(try await api.stores.media.records(of: .init("telegram:5472638766")!, limit: 10, offset: 0).isEmpty,
                "nothing refused was stored")
    }

    @Test func anUploadPastTheCapIsRefusedWhetherItsLengthIsAnnouncedOrNot() async throws {
        let api = try await APIFixture.start(maxUploadBytes: 64 * 1024)
        defer { api.stop() }
        let key = try await api.clientKey()
        let big = try TestImages.photo(width: 800, height: 800, seed: 8).data(format: .png)
        let announced = try await api.request(.POST, "/v1/media?user=\(user)", key: key, bytes: big, contentType: "image/png")
        #expect(announced.status == 413 && announced.code == "media_too_large", "\(announced.text)")
        // Chunked, with no length: refused once the cap is passed, while it streams.
        var request = HTTPClientRequest(url: api.base + "/v1/media?user=\(user)")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        let pieces = stride(from: 0, to: big.count, by: 8 * 1024).map { ByteBuffer(bytes: big[$0..<min($0 + 8 * 1024, big.count)]) }
        let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
        pieces.forEach { continuation.yield($0) }
        continuation.finish()
        request.body = .stream(stream, length: .unknown)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        let body = String(buffer: try await response.body.collect(upTo: 1 << 20))
        #expect(response.status.code == 413 && body.contains("media_too_large"), "\(body)")
        let small = try TestImages.photo(width: 64, height: 64, seed: 8).data(format: .png)
        #expect(try await api.request(.POST, "/v1/media?user=\(user)", key: key, bytes: small, contentType: "image/png").status == 201)
        let incoming = try FileManager.default.contentsOfDirectory(atPath: api.folder.url.appendingPathComponent("media/incoming").path)
        #expect(incoming.isEmpty, "nothing staged is left: \(incoming)")
    }
}
