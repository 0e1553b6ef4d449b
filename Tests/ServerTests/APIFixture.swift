import AsyncHTTPClient
import ComfyUI
import ComfyUIModel
import Media
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Server
import Studio
import StudioSQLite
import StudioTestSupport
import TestSupport
import Vips
import Workflows

/// The API on a free loopback port over a real SQLite file and the shipped templates, used as a
/// client would use it: over HTTP with async-http-client.
struct APIFixture {
    let database: TestDatabase
    let keys: APIKeys
    let base: String
    /// An admin key's secret.
    let admin: String
    let folder: TemporaryDirectory
    /// Signs on-the-fly image paths with the server's key.
    let signer: URLSigner
    /// Every route the router has, as `GET /v1/jobs/:id`.
    let routes: [String]
    private let task: Task<Void, any Error>

    /// What one request got back.
    struct Reply {
        var status: Int
        var headers: HTTPHeaders
        var body: Data
        var json: [String: Any]? { try? JSONSerialization.jsonObject(with: body) as? [String: Any] }
        var error: [String: Any]? { json?["error"] as? [String: Any] }
        var code: String? { error?["code"] as? String }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    static func start(comfyui: [URL] = [], readiness: Readiness? = nil, database: TestDatabase? = nil,
                      folder: TemporaryDirectory = TemporaryDirectory("api"), reviewRequired: Bool = true,
                      trainingValues: [String: JSONValue] = [:], imageQueue: Int = 64,
                      fetchesFromLoopback: Bool = false, maxUploadBytes: Int? = nil) async throws -> APIFixture {
        let database = try database ?? TestDatabase()
        let keys = APIKeys(store: database.database.apiKeys)
        let catalogue = WorkflowCatalogue(store: database.database.templates)
        _ = try await catalogue.seed(from: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("templates"))
        let runner = ComfyUIRunner(pool: ComfyUIPool(servers: comfyui, failureThreshold: 1, requestTimeout: .seconds(60)))
        let settings = UserSettings(.init(sessions: database.sessions, catalogue: catalogue, generator: runner))
        let signingKey = Data(repeating: 7, count: 32)
        let answer = readiness ?? Readiness(database: true, comfyui: comfyui.map { .init(url: $0, answers: true) })
        var fetchLimits = FetchLimits()
        if fetchesFromLoopback { fetchLimits.addresses = AddressPolicy(allowed: [IPNetwork("127.0.0.0/8")!]) }
        var limits = Limits.default
        if let maxUploadBytes { limits.maxInputBytes = maxUploadBytes }
        let media = MediaService(.init(records: database.database.media, content: try LocalContentStore(folder: folder.url.appendingPathComponent("media")),
                                       fetcher: MediaFetcher(limits: fetchLimits), clock: database.clock), policy: .init(limits: limits))
        let makeImage = MakeImage(.init(sessions: database.sessions, points: database.points, catalogue: catalogue, jobs: database.database.jobs,
                                        media: media, generator: runner, clock: database.clock, deadline: .seconds(60)))
        let mediaProcessing = MediaProcessing(.init(media: media, points: database.points, catalogue: catalogue, generator: runner))
        let trainModel = TrainModel(.init(media: media, points: database.points, datasets: database.database.datasets, catalogue: catalogue,
                                          trainer: runner, clock: database.clock, reviewRequired: reviewRequired, trainingSide: 64,
                                          trainingValues: trainingValues))
        let collections = Collections(.init(collections: database.database.collections, media: media, makeImage: makeImage,
                                            datasets: database.database.datasets, clock: database.clock))
        let api = DarkroomAPI(.init(keys: keys, points: database.points, catalogue: catalogue, settings: settings, makeImage: makeImage,
                                    media: media, mediaProcessing: mediaProcessing, trainModel: trainModel, collections: collections,
                                    signer: URLSigner(key: signingKey), imagesAtOnce: 1, imageQueue: imageQueue, readiness: { answer }))
        let routes = api.router().routes.map { "\($0.method) \($0.path)" }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "api-fixture")
        logger.logLevel = .critical  // stopping a fixture by cancelling its task is not an error worth printing
        let task = Task { [logger] in try await APIServer(api: api, port: 0).run(logger: logger) { continuation.yield($0) } }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        let admin = try await keys.create(name: "test admin", role: .admin, platform: nil).secret
        return APIFixture(database: database, keys: keys, base: "http://127.0.0.1:\(port)", admin: admin, folder: folder, signer: URLSigner(key: signingKey),
                          routes: routes, task: task)
    }

    func stop() { task.cancel() }

    /// A client key for `platform`'s users.
    func clientKey(_ platform: String = "telegram", rate: Int = 600) async throws -> String {
        try await keys.create(name: "\(platform) bot", role: .client, platform: platform, requestsPerMinute: rate).secret
    }

    /// One request; `timeout` covers the whole answer (an event stream lasts as long as its job,
    /// which the fixture's deadline ends within 60 s). It is generous because the whole test run
    /// shares two cores at its start, when every suite begins at once; it guards against hangs,
    /// not slowness.
    func request(_ method: HTTPMethod, _ path: String, key: String? = nil, body: String? = nil,
                 headers: [(String, String)] = [], timeout: TimeAmount = .seconds(120)) async throws -> Reply {
        try await request(method, path, key: key, bytes: body.map { Data($0.utf8) }, contentType: body == nil ? nil : "application/json",
                          headers: headers, timeout: timeout)
    }

    func request(_ method: HTTPMethod, _ path: String, key: String? = nil, bytes: Data?, contentType: String?,
                 headers: [(String, String)] = [], timeout: TimeAmount = .seconds(120)) async throws -> Reply {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if let key { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let bytes {
            if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
            request.body = .bytes(ByteBuffer(bytes: bytes))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, body: Data(bytes.readableBytesView))
    }
}
