import ComfyUIModel
public import Hummingbird
import Foundation
public import Media
public import Studio
public import Vips
public import Workflows

/// The HTTP API over the workflows: JSON under `/v1`, resources as nouns, every request but
/// `/health` and `/ready` authenticated by an API key that may act for the user it names.
/// Errors come back as `{"error": {"code", "message", …}}` with the status their code stands for.
public struct DarkroomAPI: Sendable {
    /// What the API is built on; the composition root (`darkroom serve`) picks the implementations.
    public struct Dependencies: Sendable {
        public var keys: APIKeys
        public var points: PointsService
        public var catalogue: WorkflowCatalogue
        public var settings: UserSettings
        public var makeImage: MakeImage
        public var media: MediaService
        public var mediaProcessing: MediaProcessing
        public var trainModel: TrainModel
        public var collections: Collections
        /// Signs and checks the on-the-fly image paths.
        public var signer: URLSigner
        /// On-the-fly images made at once (default: one per image worker) and how many more may
        /// wait (default 64); beyond that, 503 with `Retry-After`.
        public var imagesAtOnce: Int
        public var imageQueue: Int
        /// Whether the database answers and which ComfyUI servers do.
        public var readiness: @Sendable () async -> Readiness
        /// How job events reach the other instances over the same database (`nil`: one instance).
        public var eventChannel: (any JobEventChannel)?
        /// The platforms that post to `POST /webhooks/{name}`, by name (`telegram`).
        public var webhooks: [String: any WebhookReceiver] = [:]

        public init(keys: APIKeys, points: PointsService, catalogue: WorkflowCatalogue, settings: UserSettings, makeImage: MakeImage,
                    media: MediaService, mediaProcessing: MediaProcessing, trainModel: TrainModel, collections: Collections, signer: URLSigner,
                    imagesAtOnce: Int = ImageWorkerPool.shared.threads, imageQueue: Int = 64,
                    eventChannel: (any JobEventChannel)? = nil, readiness: @escaping @Sendable () async -> Readiness) {
            self.eventChannel = eventChannel
            self.signer = signer
            self.imagesAtOnce = imagesAtOnce
            self.imageQueue = imageQueue
            self.trainModel = trainModel
            self.collections = collections
            self.media = media
            self.mediaProcessing = mediaProcessing
            self.keys = keys
            self.points = points
            self.catalogue = catalogue
            self.settings = settings
            self.makeImage = makeImage
            self.readiness = readiness
        }
    }

    public let dependencies: Dependencies
    /// The OpenAPI document, made once.
    static let openAPI = OpenAPIDocument.data()
    private let limiter = RateLimiter()
    /// The events of the jobs this process started (and, over PostgreSQL, every other instance's).
    let events: JobEventLog
    /// How many on-the-fly images are made at once, and how many may wait.
    let imageAdmission: ImageAdmission
    /// What `GET /metrics` reports.
    let metrics = APIMetrics()

    public init(_ dependencies: Dependencies) {
        self.dependencies = dependencies
        events = JobEventLog(channel: dependencies.eventChannel)
        imageAdmission = ImageAdmission(limit: dependencies.imagesAtOnce, queue: dependencies.imageQueue)
    }

    /// Every route.
    public func router() -> Router<APIContext> {
        // HEAD answers every GET route with its status and headers, no body (link checkers, CDNs, monitors).
        let router = Router(context: APIContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.add(middleware: ErrorMiddleware())
        router.get("/health") { _, _ in try JSONBody.response(["status": "ok"]) }
        router.get("/ready") { _, _ in
            let readiness = await dependencies.readiness()
            return try JSONBody.response(readiness, status: readiness.database ? .ok : .serviceUnavailable)
        }
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: Self.openAPI)))
        }
        addOnTheFlyImages(to: router)
        addWebhooks(to: router)
        let metrics = self.metrics, admission = imageAdmission
        router.group("/metrics").add(middleware: AuthMiddleware(keys: dependencies.keys, limiter: limiter)).get { _, context in
            try context.requireAdmin()
            let (active, waiting) = await admission.load
            metrics.admission(active: active, waiting: waiting)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
        let v1 = router.group("/v1").add(middleware: AuthMiddleware(keys: dependencies.keys, limiter: limiter))
        addTemplates(to: v1)
        addJobs(to: v1)
        addMedia(to: v1)
        addTraining(to: v1)
        addCollections(to: v1)
        addUsers(to: v1.group("/users/:user"))
        return router
    }

    // MARK: Routes

    private func addWebhooks(to router: Router<APIContext>) {
        let receivers = dependencies.webhooks
        router.post("/webhooks/:name") { request, context in
            let name = context.parameters.get("name") ?? ""
            guard let receiver = receivers[name] else { throw APIError.notFound("no webhook named '\(name)'") }
            let body: ByteBuffer
            do { body = try await request.body.collect(upTo: receiver.maximumBody) } catch {
                throw APIError(.contentTooLarge, "body_too_large", "the request body is larger than \(receiver.maximumBody) bytes")
            }
            let status = await receiver.receive(headers: request.headers, body: Data(body.readableBytesView))
            return Response(status: status)
        }
    }

    private func addTemplates(to group: RouterGroup<APIContext>) {
        group.get("/templates") { _, _ in
            let entries = try await dependencies.catalogue.allEntries()
            return try JSONBody.response(["templates": entries.map(TemplateSummary.init)])
        }
    }

    private func addUsers(to group: RouterGroup<APIContext>) {
        let deps = dependencies
        group.get("/settings") { _, context in try JSONBody.response(try await deps.settings.get(try context.pathUser())) }
        group.patch("/settings") { request, context in
            let user = try context.pathUser()
            let changes = try await JSONBody.decode([String: SettingValue].self, from: request)
            return try JSONBody.response(try await deps.settings.change(user, changes))
        }
        group.delete("/settings") { _, context in try JSONBody.response(try await deps.settings.reset(try context.pathUser())) }
        group.get("/points") { _, context in try JSONBody.response(try await deps.points.balance(of: try context.pathUser())) }
        group.get("/ledger") { request, context in
            let user = try context.pathUser()
            let limit = try QueryParameter.integer("limit", of: request, in: 1...1_000, default: 100)
            return try JSONBody.response(["entries": try await deps.points.ledger(of: user, limit: limit)])
        }
        group.post("/credits") { request, context in
            try context.requireAdmin()
            let user = try context.pathUser()
            let grant = try await JSONBody.decode(CreditGrant.self, from: request)
            guard grant.credits > 0, grant.credits <= 100_000_000 else {
                throw APIError(.badRequest, "invalid_params", "credits: expected 1 … 100000000, received \(grant.credits)")
            }
            let balance = try await deps.points.addCredits(grant.credits, to: user, key: "grant:\(grant.key)", note: grant.note)
            return try JSONBody.response(balance, status: .created)
        }
    }

    /// `POST /v1/users/{user}/credits`: an admin's grant, idempotent by `key`.
    struct CreditGrant: Decodable {
        var credits: Int
        var key: String
        var note: String?
    }

    /// A template as `GET /v1/templates` lists it.
    struct TemplateSummary: Encodable {
        var name: String
        var kind: String
        var description: String?
        var inputs: [String: Input]

        struct Input: Encodable {
            var type: String
            var required: Bool
            var `default`: JSONValue?
            var min: Double?
            var max: Double?
            var choices: [String]?
        }

        init(_ entry: CatalogueEntry) {
            name = entry.name
            kind = entry.template.kind.rawValue
            description = entry.template.description
            inputs = entry.template.inputs.mapValues { input in
                Input(type: input.type.rawValue, required: input.required, default: input.defaultValue,
                      min: input.min, max: input.max, choices: input.choices)
            }
        }
    }
}
