import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Server
import Studio
import StudioTestSupport
import Testing
import TestSupport

/// The HTTP API as a client uses it: auth and its refusals, errors as JSON with their codes,
/// settings, points and grants, templates, readiness.
@Suite(.onTestThreads) struct APITests {
    let user = "telegram:5472638766"

    @Test func healthAndReadinessNeedNoKeyAndSayWhatAnswers() async throws {
        let down = URL(string: "http://127.0.0.1:9")!
        let api = try await APIFixture.start(readiness: Readiness(database: true, comfyui: [.init(url: down, answers: false)]))
        defer { api.stop() }
        let health = try await api.request(.GET, "/health")
        #expect(health.status == 200 && health.json?["status"] as? String == "ok")
        let ready = try await api.request(.GET, "/ready")
        #expect(ready.status == 200 && ready.json?["database"] as? Bool == true && ready.json?["generation"] as? Bool == false)
        #expect((ready.json?["comfyui"] as? [[String: Any]])?.first?["url"] as? String == "http://127.0.0.1:9")
        let noDatabase = try await APIFixture.start(readiness: Readiness(database: false, comfyui: []))
        defer { noDatabase.stop() }
        #expect(try await noDatabase.request(.GET, "/ready").status == 503)
    }

    @Test func requestsWithoutAGoodKeyOrForAnotherPlatformAreRefused() async throws {
        let api = try await APIFixture.start()
        defer { api.stop() }
        let none = try await api.request(.GET, "/v1/templates")
        #expect(none.status == 401 && none.code == "unauthorized" && none.error?["message"] as? String != nil)
        #expect(try await api.request(.GET, "/v1/templates", key: "key-000000000000.nope").status == 401)
        #expect(try await api.request(.GET, "/v1/templates", key: "garbage").status == 401)
        let telegram = try await api.clientKey("telegram")
        #expect(try await api.request(.GET, "/v1/users/\(user)/points", key: telegram).status == 200)
        let foreign = try await api.request(.GET, "/v1/users/web:alice/points", key: telegram)
        #expect(foreign.status == 403 && foreign.code == "forbidden")
        let bad = try await api.request(.GET, "/v1/users/nobody/points", key: telegram)
        #expect(bad.status == 400 && bad.code == "invalid_params")
        let grant = try await api.request(.POST, "/v1/users/\(user)/credits", key: telegram, body: #"{"credits": 5, "key": "x"}"#)
        #expect(grant.status == 403, "only an admin grants")
        let id = String(telegram.prefix { $0 != "." })
        try await api.keys.revoke(id)
        let revoked = try await api.request(.GET, "/v1/users/\(user)/points", key: telegram)
        #expect(revoked.status == 401 && (revoked.error?["message"] as? String)?.contains("revoked") == true)
    }

    @Test func aKeyOverItsRateGets429WithRetryAfter() async throws {
        let api = try await APIFixture.start()
        defer { api.stop() }
        // One request a minute: the second within the minute is refused however slow a loaded run is.
        let slow = try await api.clientKey("telegram", rate: 1)
        #expect(try await api.request(.GET, "/v1/templates", key: slow).status == 200)
        let refused = try await api.request(.GET, "/v1/templates", key: slow)
        #expect(refused.status == 429 && refused.code == "rate_limited")
        #expect(Int(refused.headers.first(name: "Retry-After") ?? "") ?? 0 >= 1)
        #expect(try await api.request(.GET, "/v1/templates", key: api.admin).status == 200, "other keys are not slowed")
    }

    @Test func settingsAreReadChangedAllOrNothingAndReset() async throws {
        let api = try await APIFixture.start()
        defer { api.stop() }
        let key = try await api.clientKey()
        let fresh = try await api.request(.GET, "/v1/users/\(user)/settings", key: key)
        #expect(fresh.status == 200 && (fresh.json?["settings"] as? [String: Any])?["steps"] as? Int == 30)
        let changed = try await api.request(.PATCH, "/v1/users/\(user)/settings", key: key, body: #"{"steps": 20, "width": 768}"#)
        #expect(changed.status == 200 && (changed.json?["settings"] as? [String: Any])?["steps"] as? Int == 20, "\(changed.text)")
        // Names come out in the case they go in: what GET shows can be sent back as it is.
        let shown = try #require(fresh.json?["settings"] as? [String: Any])
        #expect(shown["negative_prompt"] != nil && shown["negativePrompt"] == nil && (fresh.json?["limits"] as? [String: Any])?["max_steps"] as? Int == 30,
                "\(fresh.text)")
        let echoed = try await api.request(.PATCH, "/v1/users/\(user)/settings", key: key, body: #"{"negative_prompt": "blurry"}"#)
        #expect((echoed.json?["settings"] as? [String: Any])?["negative_prompt"] as? String == "blurry", "\(echoed.text)")
        let refused = try await api.request(.PATCH, "/v1/users/\(user)/settings", key: key, body: #"{"steps": 20000, "width": 512}"#)
        #expect(refused.status == 400 && refused.code == "invalid_settings")
        #expect((refused.error?["problems"] as? [String])?.contains { $0.contains("steps") && $0.contains("20000") } == true, "\(refused.text)")
        let kept = try await api.request(.GET, "/v1/users/\(user)/settings", key: key)
        #expect((kept.json?["settings"] as? [String: Any])?["width"] as? Int == 768, "nothing of a refused change is kept")
        let malformed = try await api.request(.PATCH, "/v1/users/\(user)/settings", key: key, body: #"{"steps": "#)
        #expect(malformed.status == 400 && malformed.code == "invalid_json")
        let wrongShape = try await api.request(.PATCH, "/v1/users/\(user)/settings", key: key, body: #"[1, 2]"#)
        #expect(wrongShape.status == 400 && wrongShape.code == "invalid_json" && (wrongShape.error?["message"] as? String)?.contains("top level") == true,
                "\(wrongShape.text)")
        let huge = try await api.request(.PATCH, "/v1/users/\(user)/settings", key: key, body: "{\"base_prompt\": \"" + String(repeating: "x", count: 70_000) + "\"}")
        #expect(huge.status == 413 && huge.code == "body_too_large")
        let reset = try await api.request(.DELETE, "/v1/users/\(user)/settings", key: key)
        #expect(reset.status == 200 && (reset.json?["settings"] as? [String: Any])?["width"] as? Int == 1024)
    }

    @Test func pointsLedgerAndAnAdminsGrantWhichCountsOnce() async throws {
        let api = try await APIFixture.start()
        defer { api.stop() }
        let grant = #"{"credits": 5000, "key": "welcome", "note": "beta"}"#
        let first = try await api.request(.POST, "/v1/users/\(user)/credits", key: api.admin, body: grant)
        #expect(first.status == 201 && first.json?["credits"] as? Int == 5000, "\(first.text)")
        let again = try await api.request(.POST, "/v1/users/\(user)/credits", key: api.admin, body: grant)
        #expect(again.json?["credits"] as? Int == 5000, "the same key grants once")
        let zero = try await api.request(.POST, "/v1/users/\(user)/credits", key: api.admin, body: #"{"credits": 0, "key": "z"}"#)
        #expect(zero.status == 400 && zero.code == "invalid_params")
        let missing = try await api.request(.POST, "/v1/users/\(user)/credits", key: api.admin, body: #"{"credits": 5}"#)
        #expect(missing.status == 400 && (missing.error?["message"] as? String)?.contains("at key: this field is required") == true, "\(missing.text)")
        let points = try await api.request(.GET, "/v1/users/\(user)/points", key: api.admin)
        #expect(points.status == 200 && points.json?["credits"] as? Int == 5000)
        let ledger = try await api.request(.GET, "/v1/users/\(user)/ledger?limit=10", key: api.admin)
        #expect((ledger.json?["entries"] as? [[String: Any]])?.count == 1)
        #expect((ledger.json?["entries"] as? [[String: Any]])?.first?["available_after"] as? Int == points.json?["available"] as? Int, "\(ledger.text)")
        // A limit out of range, or no number at all, is refused naming it (not read as the default).
        for limit in ["0", "abc", "99999999999999999999"] {
            let refused = try await api.request(.GET, "/v1/users/\(user)/ledger?limit=\(limit)", key: api.admin)
            #expect(refused.status == 400 && refused.code == "invalid_params" && refused.text.contains("limit"), "\(limit): \(refused.text)")
        }
    }

    @Test func templatesAreListedWithTheirInputsAndUnknownRoutesAreJSON404s() async throws {
        let api = try await APIFixture.start()
        defer { api.stop() }
        let listed = try await api.request(.GET, "/v1/templates", key: api.admin)
        let templates = listed.json?["templates"] as? [[String: Any]] ?? []
        #expect(templates.compactMap { $0["name"] as? String } == ["lora_train", "rmbg", "text2img", "upscale", "upscale-model"])
        let text2img = templates.first { $0["name"] as? String == "text2img" }
        #expect(((text2img?["inputs"] as? [String: Any])?["prompt"] as? [String: Any])?["required"] as? Bool == true)
        let unknown = try await api.request(.GET, "/v1/nothing-here", key: api.admin)
        #expect(unknown.status == 404 && unknown.code == "not_found")
    }

    @Test func metricsCountRequestsByRouteAndStatusForAdminsOnly() async throws {
        let api = try await APIFixture.start()
        defer { api.stop() }
        let key = try await api.clientKey()
        _ = try await api.request(.GET, "/v1/templates", key: key)
        _ = try await api.request(.GET, "/v1/templates", key: key)
        _ = try await api.request(.GET, "/v1/users/telegram:1/points", key: key)
        _ = try await api.request(.GET, "/v1/users/web:1/points", key: key)
        #expect(try await api.request(.GET, "/metrics").status == 401)
        #expect(try await api.request(.GET, "/metrics", key: key).status == 403)
        let metrics = try await api.request(.GET, "/metrics", key: api.admin)
        #expect(metrics.status == 200 && metrics.headers.first(name: "Content-Type")?.hasPrefix("text/plain") == true)
        let lines = metrics.text.split(separator: "\n").map(String.init)
        func value(_ prefix: String) -> String? { lines.first { $0.hasPrefix(prefix + " ") }?.split(separator: " ").last.map(String.init) }
        #expect(value(#"darkroom_http_requests_total{method="GET",route="/v1/templates",status="200"}"#) == "2", "\(metrics.text)")
        // A route with a parameter is one label, whatever the user; a refusal counts under its status.
        #expect(value(#"darkroom_http_requests_total{method="GET",route="/v1/users/{user}/points",status="200"}"#) == "1", "\(metrics.text)")
        #expect(value(#"darkroom_http_requests_total{method="GET",route="/v1/users/{user}/points",status="403"}"#) == "1", "\(metrics.text)")
        #expect(lines.contains { $0.hasPrefix(#"darkroom_http_request_duration_seconds_count{method="GET",route="/v1/templates"}"#) })
        #expect(value("darkroom_onthefly_images_active") == "0.0" && value("darkroom_onthefly_images_waiting") == "0.0", "\(metrics.text)")
    }
}
