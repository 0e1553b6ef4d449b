import ComfyUIModel
import Foundation
import ServiceLifecycle
import HTTPTypes
public import Hummingbird
public import Studio
import Vips
import Workflows

extension DarkroomAPI {
    /// `POST /v1/images` (start makeImage; answers once the points are held), `GET /v1/jobs/{id}`,
    /// `GET /v1/jobs/{id}/events` (Server-Sent Events) and `POST /v1/jobs/{id}/cancel`.
    func addJobs(to group: RouterGroup<APIContext>) {
        let deps = dependencies, events = self.events
        group.post("/images") { request, context in
            let body = try await JSONBody.decode(ImageRequest.self, from: request)
            let user = try context.user(body.user)
            let run = try body.request(for: user)
            return try JSONBody.response(try await Self.start(run, makeImage: deps.makeImage, events: events), status: .accepted)
        }
        group.get("/jobs/:id") { _, context in try JSONBody.response(try await Self.job(context, deps.makeImage)) }
        group.post("/jobs/:id/cancel") { _, context in
            let job = try await Self.job(context, deps.makeImage)
            return try JSONBody.response(try await deps.makeImage.cancel(job: job.id, user: job.user))
        }
        group.get("/jobs/:id/events") { request, context in
            let job = try await Self.job(context, deps.makeImage)
            let lastID = Self.lastEventID(of: request)
            if let known = events.events(of: job.id, after: lastID) { return Self.eventStream(known) }
            // An open job another instance runs (or one that instance left to be taken over):
            // its events from now on, as they come over the channel.
            if job.state.isOpen, events.relays {
                events.open(job.id)
                if let following = events.events(of: job.id, after: lastID) { return Self.eventStream(following) }
            }
            return Self.eventStream(Self.ended(job))
        }
    }

    /// Takes over the open jobs no live instance follows (``MakeImage/resumeOpenJobs()``) and
    /// ends each one's event log with how it ended, so that clients following it, on any
    /// instance, see its end. Returns the jobs as they ended.
    public func resumeOpenJobs() async throws -> [GenerationJob] {
        let ended = try await dependencies.makeImage.resumeOpenJobs()
        for job in ended {
            let (name, data) = Self.standing(job)
            events.open(job.id)
            events.append(job.id, name, data, last: true)
        }
        return ended
    }

    /// Runs `request` in a task of its own and answers once its points are held (or it failed
    /// before that); the events go to the log meanwhile and after.
    static func start(_ request: MakeImage.Request, makeImage: MakeImage, events: JobEventLog) async throws -> Started {
        events.open(request.job)
        return try await inBackground(request.job, events: events) { answer in
            Completed(try await makeImage.run(request) { progress in
                switch progress {
                case .held(let job, let points):
                    events.append(job, "held", ["job": .string(job), "points": .integer(Int64(points))] as [String: JSONValue])
                    answer(Started(job: job, points: points, events: "/v1/jobs/\(job)/events"))
                case .queued(let position, let wait):
                    events.append(request.job, "queued", Queued(position: position, waitSeconds: wait.map(Self.seconds)))
                case .generation(let event): appendGeneration(event, of: request.job, to: events)
                case .finishing: events.append(request.job, "finishing", [String: String]())
                }
            })
        }
    }

    /// Runs `work` in a task of its own, its result the `completed` event of `id` (a failure its
    /// `failed` event), and returns what `work` hands to `answer` first — or throws the failure
    /// that came before it. The caller answers its request then; the work goes on regardless.
    static func inBackground<Answer: Sendable>(_ id: String, events: JobEventLog,
                                               _ work: @escaping @Sendable (_ answer: @escaping @Sendable (Answer) -> Void) async throws
                                                   -> some Encodable & Sendable) async throws -> Answer {
        let (first, signal) = AsyncStream<Result<Answer, APIError>>.makeStream()
        Task {
            do {
                let result = try await work { signal.yield(.success($0)); signal.finish() }
                events.append(id, "completed", result, last: true)
            } catch {
                let failure = APIError(any: error)
                events.append(id, "failed", ["code": failure.code, "message": failure.message], last: true)
                signal.yield(.failure(failure))
                signal.finish()
            }
        }
        for await outcome in first { return try outcome.get() }
        throw APIError(.internalServerError, "internal_error", "\(id) ended without a word")
    }

    /// The job of the `:id` in the path, if the key may act for its user (`job_not_found` otherwise:
    /// another platform's jobs are not shown to exist).
    static func job(_ context: APIContext, _ makeImage: MakeImage) async throws -> GenerationJob {
        let id = context.parameters.get("id") ?? ""
        let job: GenerationJob
        do { job = try await makeImage.job(id) } catch { throw APIError(any: error) }
        guard try context.requireKey().mayAct(for: job.user) else {
            throw APIError(.notFound, "job_not_found", "there is no job '\(id)'")
        }
        return job
    }

    static func appendGeneration(_ event: RunEvent, of job: String, to events: JobEventLog) {
        switch event {
        case .started: events.append(job, "started", [String: String]())
        case .progress(_, let value, let max): events.append(job, "progress", ["value": value, "max": max])
        case .preview(let frame):
            switch frame {
            case .previewImage(let format, let bytes), .previewImageWithMetadata(_, _, let format, let bytes):
                events.append(job, "preview", ["image": "data:image/\(format.rawValue);base64,\(bytes.base64EncodedString())"])
            default: break
            }
        default: break
        }
    }

    /// How a job that this process does not run (another instance's, or one from before a
    /// restart) has ended, or stands, as one last event.
    static func ended(_ job: GenerationJob) -> AsyncStream<JobEventLog.Event> {
        let (name, data) = standing(job)
        return single(job.id, name, data)
    }

    /// The event that says how `job` ended (`completed`, `failed`), or stands (`state`).
    static func standing(_ job: GenerationJob) -> (String, [String: JSONValue]) {
        switch job.state {
        case .completed:
            ("completed", ["job": .string(job.id), "media": .array(job.media.map(JSONValue.string)),
                           "cost": job.cost.map { .integer(Int64($0)) } ?? .null])
        case .failed, .cancelled, .timedOut:
            ("failed", ["code": .string(job.failure?.code ?? job.state.rawValue), "message": .string(job.failure?.message ?? "")])
        default:
            ("state", ["state": .string(job.state.rawValue)])
        }
    }

    /// A stream of one event, numbered 1.
    static func single(_ id: String, _ name: String, _ data: some Encodable) -> AsyncStream<JobEventLog.Event> {
        let log = JobEventLog()
        log.open(id)
        log.append(id, name, data, last: true)
        return log.events(of: id, after: 0) ?? AsyncStream { $0.finish() }
    }

    /// A `text/event-stream` response of `stream`.
    /// The events as `text/event-stream`. A graceful shutdown ends the stream (the job goes on,
    /// or is resumed by the next start; the client reconnects with `Last-Event-ID`), so that an
    /// open stream does not hold the server up.
    static func eventStream(_ stream: AsyncStream<JobEventLog.Event>) -> Response {
        Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                 body: .init(asyncSequence: stream.cancelOnGracefulShutdown().map { ByteBuffer(string: $0.wire) }))
    }

    /// The header an EventSource sends when it reconnects.
    static let lastEventID = HTTPField.Name("Last-Event-ID")!

    /// The number in the request's `Last-Event-ID`: a reconnecting client gets what came after it (0: everything).
    static func lastEventID(of request: Request) -> Int {
        request.headers[lastEventID].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 0
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// What `POST /v1/images` answers: the job, its held points, and where its events are.
    struct Started: Encodable, Sendable {
        var job: String
        var points: Int
        var events: String
    }

    struct Queued: Encodable {
        var position: Int?
        var waitSeconds: Double?
        enum CodingKeys: String, CodingKey { case position, waitSeconds = "wait_seconds" }
    }

    /// The last event of a job that delivered.
    struct Completed: Encodable {
        struct Delivered: Encodable {
            var media: String
            var preview: String
            var width: Int?
            var height: Int?
            var format: String
        }
        var job: String
        var images: [Delivered]
        var seed: Int64?
        var cost: Int
        var available: Int
        var runSeconds: Double

        init(_ result: MakeImage.Result) {
            job = result.job
            images = result.images.map { Delivered(media: $0.media.id, preview: $0.preview.id, width: $0.media.width, height: $0.media.height,
                                                   format: $0.media.format) }
            seed = result.seed
            cost = result.cost
            available = result.available
            runSeconds = result.runSeconds
        }

        enum CodingKeys: String, CodingKey { case job, images, seed, cost, available, runSeconds = "run_seconds" }
    }

    /// The body of `POST /v1/images`.
    struct ImageRequest: Decodable {
        var user: String
        var prompt: String
        var template: String?
        var settings: [String: SettingValue]?
        var inputs: [String: JSONValue]?
        /// A stored media id, for an img2img template.
        var image: String?
        var format: String?

        func request(for user: UserID) throws -> MakeImage.Request {
            let name = format.map { $0 == "jpg" ? "jpeg" : $0.lowercased() } ?? "png"
            guard let format = ImageFormat(rawValue: name) else {
                throw APIError(.badRequest, "invalid_params",
                               "format: expected one of \(ImageFormat.allCases.map(\.rawValue).joined(separator: ", ")), received '\(name)'")
            }
            return MakeImage.Request(user: user, prompt: prompt, template: template, settings: settings ?? [:], inputs: inputs ?? [:],
                                     image: image.map(MediaInput.stored), format: format)
        }
    }
}
