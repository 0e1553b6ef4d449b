import AsyncHTTPClient
import ComfyUIModel
import ComfyUITestSupport
import Foundation
import NIOCore
import NIOHTTP1
import Server
import Testing
import TestSupport
import Vips

/// Training through the API with the ComfyUI test server: a dataset put together from uploads,
/// submitted, reviewed by an admin, trained in the background with its events, its LoRA served.
@Suite(.onTestThreads) struct TrainingAPITests {
    let user = "telegram:5472638766"
    static let values: [String: JSONValue] = ["checkpoint": "tiny-random-sd15.safetensors", "steps": 3, "rank": 2, "training_dtype": "fp32"]

    /// A dataset of 10 uploaded, captioned images.
    func dataset(_ api: APIFixture, key: String) async throws -> String {
        let created = try await api.request(.POST, "/v1/users/\(user)/datasets", key: key, body: #"{"name": "my cat", "trigger_word": "mycat"}"#)
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(created.json?["id"] as? String)
        for slot in 1...10 {
            let photo = try TestImages.photo(width: 96, height: 64, seed: UInt64(slot)).data(format: .jpeg)
            let media = try #require(try await api.request(.POST, "/v1/media?user=\(user)", key: key, bytes: photo, contentType: "image/jpeg").json?["id"] as? String)
            let set = try await api.request(.PUT, "/v1/users/\(user)/datasets/\(id)/slots/\(slot)", key: key,
                                            body: #"{"image": "\#(media)", "caption": "mycat number \#(slot)"}"#)
            #expect(set.status == 200, "\(set.text)")
        }
        return id
    }

    @Test func aDatasetIsSubmittedReviewedTrainedAndItsLoRAServed() async throws {
        let comfyui = try await ComfyUITestServer.start()
        defer { Task { await comfyui.stop() } }
        let api = try await APIFixture.start(comfyui: [comfyui.url], trainingValues: Self.values)
        defer { api.stop() }
        let key = try await api.clientKey()
        #expect(try await api.request(.GET, "/v1/users/\(user)/training/price", key: key).json?["amount"] as? Int == 86_400)
        _ = try await api.request(.POST, "/v1/users/\(user)/credits", key: api.admin, body: #"{"credits": 100000, "key": "beta"}"#)
        let id = try await dataset(api, key: key)
        let submitted = try await api.request(.POST, "/v1/users/\(user)/datasets/\(id)/submit", key: key)
        #expect(submitted.status == 200 && submitted.json?["state"] as? String == "submitted", "\(submitted.text)")
        let early = try await api.request(.POST, "/v1/users/\(user)/datasets/\(id)/train", key: key)
        #expect(early.status == 409 && early.code == "dataset_state_conflict", "\(early.text)")
        #expect(try await api.request(.GET, "/v1/reviews", key: key).status == 403, "a client key does not review")
        let waiting = try await api.request(.GET, "/v1/reviews", key: api.admin)
        #expect((waiting.json?["datasets"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [id])
        let approved = try await api.request(.POST, "/v1/datasets/\(id)/review", key: api.admin, body: #"{"approve": true}"#)
        #expect(approved.json?["state"] as? String == "approved", "\(approved.text)")
        let started = try await api.request(.POST, "/v1/users/\(user)/datasets/\(id)/train", key: key)
        #expect(started.status == 202 && started.json?["server"] as? String == comfyui.url.absoluteString, "\(started.text)")
        #expect(started.json?["events"] as? String == "/v1/users/\(user)/datasets/\(id)/events")
        // The stream lasts as long as the training run: minutes on a loaded machine.
        let stream = try await api.request(.GET, "/v1/users/\(user)/datasets/\(id)/events", key: key, timeout: .seconds(400))
        let names = stream.text.components(separatedBy: "\n").filter { $0.hasPrefix("event: ") }.map { $0.dropFirst(7) }
        #expect(names.first == "training" && names.last == "completed" && names.filter { $0 == "progress" }.count == 3, "\(names)")
        let trained = try await api.request(.GET, "/v1/users/\(user)/datasets/\(id)", key: key)
        #expect(trained.json?["state"] as? String == "completed" && trained.json?["lora_name"] as? String != nil, "\(trained.text)")
        let model = try #require(trained.json?["model"] as? String)
        let lora = try await api.request(.GET, "/v1/media/\(model)", key: key)
        #expect(lora.status == 200 && lora.headers.first(name: "Content-Type") == "application/octet-stream" && lora.body.count > 100)
        #expect(try await api.request(.GET, "/v1/users/\(user)/points", key: key).json?["held"] as? Int == 0)
    }

    @Test func aWithdrawnDatasetReleasesItsPointsAndAnotherPlatformSeesNothing() async throws {
        let api = try await APIFixture.start()
        defer { api.stop() }
        let key = try await api.clientKey()
        _ = try await api.request(.POST, "/v1/users/\(user)/credits", key: api.admin, body: #"{"credits": 100000, "key": "beta"}"#)
        let id = try await dataset(api, key: key)
        let web = try await api.clientKey("web")
        #expect(try await api.request(.GET, "/v1/users/\(user)/datasets/\(id)", key: web).status == 403)
        #expect(try await api.request(.GET, "/v1/users/web:alice/datasets/\(id)", key: web).code == "dataset_not_found")
        let short = try await api.request(.PUT, "/v1/users/\(user)/datasets/\(id)/slots/21", key: key, body: #"{"caption": "x"}"#)
        #expect(short.status == 400 && short.code == "invalid_params")
        _ = try await api.request(.POST, "/v1/users/\(user)/datasets/\(id)/submit", key: key)
        #expect(try await api.request(.GET, "/v1/users/\(user)/points", key: key).json?["held"] as? Int == 86_400)
        let withdrawn = try await api.request(.POST, "/v1/users/\(user)/datasets/\(id)/cancel", key: key)
        #expect(withdrawn.json?["state"] as? String == "failed", "\(withdrawn.text)")
        #expect(try await api.request(.GET, "/v1/users/\(user)/points", key: key).json?["held"] as? Int == 0)
        let listed = try await api.request(.GET, "/v1/users/\(user)/datasets", key: key)
        #expect((listed.json?["datasets"] as? [[String: Any]])?.count == 1)
    }
}
