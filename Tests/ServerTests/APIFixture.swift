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
import Testing
import StudioSQLite
import StudioTestSupport
import TestSupport
import Vips
import Workflows

/// The API on a free loopback port over a real SQLite file (or the stores given: another
/// instance's, PostgreSQL's) and the shipped templates, used as a client would use it: over HTTP
/// with async-http-client.
struct APIFixture {
    let stores: StudioStores
    /// The DarkroomAPI behind the port (to resume jobs as `darkroom serve` does).
    let api: DarkroomAPI
    /// Keeps the SQLite file's folder as long as the fixture.
    let lifetime: (any Sendable)?
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

    static func start(comfyui: [URL] = [], readiness: Readiness? = nil, stores given: StudioStores? = nil,
                      folder: TemporaryDirectory = TemporaryDirectory("api"), reviewRequired: Bool = true,
                      trainingValues: [String: JSONValue] = [:], imageQueue: Int = 64,
                      fetchesFromLoopback: Bool = false, maxUploadBytes: Int? = nil, leases: JobLeases = JobLeases(),
                      generator wrap: (@Sendable (ComfyUIRunner) -> any ImageGenerating)? = nil) async throws -> APIFixture {
        let stores: StudioStores
        var database: TestDatabase?
        if let given {
            stores = given
        } else {
            let made = try TestDatabase()
            database = made
            stores = made.stores
        }
        let (points, sessions) = (stores.pointsService, stores.sessionService)
        let keys = APIKeys(store: stores.apiKeys)
        let catalogue = WorkflowCatalogue(store: stores.templates)
        _ = try await catalogue.seed(from: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("templates"))
        let runner = ComfyUIRunner(pool: ComfyUIPool(servers: comfyui, failureThreshold: 1, requestTimeout: .seconds(60)))
        let generator = wrap?(runner) ?? runner
        let settings = UserSettings(.init(sessions: sessions, catalogue: catalogue, generator: runner))
        let signingKey = Data(repeating: 7, count: 32)
        let answer = readiness ?? Readiness(database: true, comfyui: comfyui.map { .init(url: $0, answers: true) })
        var fetchLimits = FetchLimits()
        if fetchesFromLoopback { fetchLimits.addresses = AddressPolicy(allowed: [IPNetwork("127.0.0.0/8")!]) }
        var limits = Limits.default
        if let maxUploadBytes { limits.maxInputBytes = maxUploadBytes }
        let media = MediaService(.init(records: stores.media, content: try LocalContentStore(folder: folder.url.appendingPathComponent("media")),
                                       fetcher: MediaFetcher(limits: fetchLimits), clock: stores.clock), policy: .init(limits: limits))
        let makeImage = MakeImage(.init(sessions: sessions, points: points, catalogue: catalogue, jobs: stores.jobs,
                                        media: media, generator: generator, clock: stores.clock, deadline: .seconds(60), leases: leases))
        let mediaProcessing = MediaProcessing(.init(media: media, points: points, catalogue: catalogue, generator: runner))
        let trainModel = TrainModel(.init(media: media, points: points, datasets: stores.datasets, catalogue: catalogue,
                                          trainer: runner, clock: stores.clock, reviewRequired: reviewRequired, trainingSide: 64,
                                          trainingValues: trainingValues))
        let collections = Collections(.init(collections: stores.collections, media: media, makeImage: makeImage,
                                            datasets: stores.datasets, clock: stores.clock))
        let api = DarkroomAPI(.init(keys: keys, points: points, catalogue: catalogue, settings: settings, makeImage: makeImage,
                                    media: media, mediaProcessing: mediaProcessing, trainModel: trainModel, collections: collections,
                                    signer: URLSigner(key: signingKey), imagesAtOnce: 1, imageQueue: imageQueue,
                                    eventChannel: stores.storage.events, readiness: { answer }))
        let routes = api.router().routes.map { "\($0.method) \($0.path)" }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "api-fixture")
        logger.logLevel = .critical  // stopping a fixture by cancelling its task is not an error worth printing
        let task = Task.server { [logger] in try await APIServer(api: api, port: 0).run(logger: logger) { continuation.yield($0) } }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        let admin = try await keys.create(name: "test admin", role: .admin, platform: nil).secret
        return APIFixture(stores: stores, api: api, lifetime: database, keys: keys, base: "http://127.0.0.1:\(port)", admin: admin, folder: folder, signer: URLSigner(key: signingKey),
                          routes: routes, task: task)
    }

    func stop() { task.cancel() }

    /// One Server-Sent Event as a client reads it.
    typealias Event = (id: Int, name: String, data: [String: Any])

    /// The events of `job`'s stream (after `lastID`, as a reconnecting client asks) until the server ends it.
    func events(of job: String, key: String, after lastID: Int? = nil) async throws -> [Event] {
        let reply = try await request(.GET, "/v1/jobs/\(job)/events", key: key, headers: lastID.map { [("Last-Event-ID", String($0))] } ?? [])
        #expect(reply.status == 200 && reply.headers.first(name: "Content-Type") == "text/event-stream")
        return reply.text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { block in
            var fields: [String: String] = [:]
            for line in block.split(separator: "\n") {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2 { fields[String(parts[0])] = parts[1].trimmingCharacters(in: .whitespaces) }
            }
            let data = (try? JSONSerialization.jsonObject(with: Data((fields["data"] ?? "{}").utf8))) as? [String: Any] ?? [:]
            return (Int(fields["id"] ?? "") ?? 0, fields["event"] ?? "", data)
        }
    }

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
        let started = ContinuousClock.now
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: timeout)
            let bytes = try await response.body.collect(upTo: 16 << 20)
            return Reply(status: Int(response.status.code), headers: response.headers, body: Data(bytes.readableBytesView))
        } catch {
            throw RequestFailed(request: "\(method) \(path)", after: ContinuousClock.now - started, error: error)
        }
    }

    /// A request that got no answer, naming itself (a hang shows which request it was).
    struct RequestFailed: Error, CustomStringConvertible {
        var request: String
        var after: Duration
        var error: any Error
        var description: String { "\(request) failed after \(after): \(error)" }
    }
}
