import AsyncHTTPClient
import ComfyUITestSupport
import Foundation
import NIOHTTP1
import Server
import Studio
import StudioSQLite
import StudioTestSupport
import Testing
import TestSupport

/// makeImage through the API with the ComfyUI test server: a job started, followed as
/// Server-Sent Events (and again from where a reconnecting client left), read, cancelled.
@Suite(.onTestThreads) struct JobAPITests {
    let user = "telegram:5472638766"
    static let small = #""settings": {"checkpoint": "tiny-random-sd15.safetensors", "width": 64, "height": 64, "steps": 4}, "inputs": {"lora": "tiny-random-lora.safetensors"}"#

    func events(_ api: APIFixture, _ job: String, key: String, after lastID: Int? = nil) async throws -> [APIFixture.Event] {
        try await api.events(of: job, key: key, after: lastID)
    }

    @Test func anImageJobIsStartedFollowedAndReadAgainFromWhereAClientLeft() async throws {
        let comfyui = try await ComfyUITestServer.start()
        defer { Task { await comfyui.stop() } }
        let api = try await APIFixture.start(comfyui: [comfyui.url])
        defer { api.stop() }
        let key = try await api.clientKey()
        let started = try await api.request(.POST, "/v1/images", key: key,
                                            body: #"{"user": "\#(user)", "prompt": "a lighthouse at dusk", \#(Self.small), "format": "webp"}"#)
        #expect(started.status == 202, "\(started.text)")
        let job = try #require(started.json?["job"] as? String)
        #expect(started.json?["events"] as? String == "/v1/jobs/\(job)/events" && (started.json?["points"] as? Int ?? 0) > 0)
        let all = try await events(api, job, key: key)
        #expect(all.map(\.id) == Array(1...all.count), "numbered from 1 without a gap")
        #expect(all.first?.name == "held" && all.last?.name == "completed", "\(all.map(\.name))")
        #expect(all.filter { $0.name == "progress" }.compactMap { $0.data["value"] as? Int } == [1, 2, 3, 4])
        let completed = try #require(all.last?.data)
        let image = try #require((completed["images"] as? [[String: Any]])?.first)
        #expect(image["format"] as? String == "webp" && image["width"] as? Int == 64 && completed["cost"] as? Int != nil)
        // A client that saw up to event 2 gets the rest, and only the rest.
        let rest = try await events(api, job, key: key, after: 2)
        #expect(rest.map(\.id) == Array(3...all.count) && rest.last?.name == "completed")
        let read = try await api.request(.GET, "/v1/jobs/\(job)", key: key)
        #expect(read.status == 200 && read.json?["state"] as? String == "completed" && (read.json?["media"] as? [String])?.count == 1)
        // Another platform's key does not learn that the job exists.
        let web = try await api.clientKey("web")
        #expect(try await api.request(.GET, "/v1/jobs/\(job)", key: web).code == "job_not_found")
        #expect(try await api.request(.GET, "/v1/jobs/\(job)/events", key: web).status == 404)
        // After a restart the job is no longer in memory: its end comes from the store.
        let restarted = try await APIFixture.start(comfyui: [comfyui.url], stores: api.stores, folder: api.folder)
        defer { restarted.stop() }
        let fromStore = try await events(restarted, job, key: restarted.admin)
        #expect(fromStore.map(\.name) == ["completed"] && (fromStore.first?.data["media"] as? [String])?.count == 1)
    }

    @Test func whatIsRefusedBeforeAJobStartsComesBackAsAnError() async throws {
        let comfyui = try await ComfyUITestServer.start()
        defer { Task { await comfyui.stop() } }
        let api = try await APIFixture.start(comfyui: [comfyui.url])
        defer { api.stop() }
        let key = try await api.clientKey()
        let noPrompt = try await api.request(.POST, "/v1/images", key: key, body: #"{"user": "\#(user)"}"#)
        #expect(noPrompt.status == 400 && (noPrompt.error?["message"] as? String)?.contains("at prompt") == true, "\(noPrompt.text)")
        let badSettings = try await api.request(.POST, "/v1/images", key: key, body: #"{"user": "\#(user)", "prompt": "x", "settings": {"steps": 999}}"#)
        #expect(badSettings.status == 400 && badSettings.code == "invalid_settings", "\(badSettings.text)")
        let unknown = try await api.request(.POST, "/v1/images", key: key, body: #"{"user": "\#(user)", "prompt": "x", "template": "nope"}"#)
        #expect(unknown.status == 404 && unknown.code == "unknown_template", "\(unknown.text)")
        let format = try await api.request(.POST, "/v1/images", key: key, body: #"{"user": "\#(user)", "prompt": "x", "format": "bmp"}"#)
        #expect(format.status == 400 && format.code == "invalid_params")
        // Everything available held elsewhere: 402 with what is needed and what is there.
        let balance = try await api.stores.pointsService.balance(of: UserID(user)!)
        _ = try await api.stores.pointsService.hold(user: UserID(user)!, job: "elsewhere", estimate: balance.available)
        let poor = try await api.request(.POST, "/v1/images", key: key, body: #"{"user": "\#(user)", "prompt": "x", \#(Self.small)}"#)
        #expect(poor.status == 402 && poor.code == "not_enough_points" && poor.error?["available"] as? Int == 0, "\(poor.text)")
        #expect(try await api.stores.jobs.jobs(of: UserID(user)!, limit: 10).isEmpty)
    }

    @Test func aRunningJobIsCancelledAndItsStreamEndsSaying() async throws {
        let comfyui = try await ComfyUITestServer.start()
        defer { Task { await comfyui.stop() } }
        await comfyui.setBehaviour(.hold)
        let api = try await APIFixture.start(comfyui: [comfyui.url])
        defer { api.stop() }
        let key = try await api.clientKey()
        let started = try await api.request(.POST, "/v1/images", key: key, body: #"{"user": "\#(user)", "prompt": "x", \#(Self.small)}"#)
        let job = try #require(started.json?["job"] as? String)
        async let stream = events(api, job, key: key)
        let cancelled = try await api.request(.POST, "/v1/jobs/\(job)/cancel", key: key)
        #expect(cancelled.status == 200 && cancelled.json?["state"] as? String == "cancelled", "\(cancelled.text)")
        let seen = try await stream
        #expect(seen.last?.name == "failed" && seen.last?.data["code"] as? String == "cancelled", "\(seen.map(\.name))")
        #expect(try await api.stores.pointsService.balance(of: UserID(user)!).held == 0)
    }
}
