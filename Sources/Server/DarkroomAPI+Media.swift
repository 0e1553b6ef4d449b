import Foundation
import HTTPTypes
public import Hummingbird
import Media
import Studio
import Vips
import Workflows

extension DarkroomAPI {
    /// `POST /v1/media` (an upload, or `{"url"}`), `GET /v1/media/{id}` (bytes, ETag, ranges),
    /// `GET /v1/media/{id}/info`, `DELETE /v1/media/{id}`, `POST /v1/media/{id}/process`, and a
    /// user's list at `GET /v1/users/{user}/media`.
    func addMedia(to group: RouterGroup<APIContext>) {
        let deps = dependencies
        group.post("/media") { request, context in
            let user = try context.user(request.uri.queryParameters.get("user") ?? "")
            let record: MediaRecord
            if request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true {
                let body = try await JSONBody.decode(URLBody.self, from: request)
                guard let url = URL(string: body.url), url.scheme != nil else {
                    throw APIError(.badRequest, "invalid_params", "url: '\(body.url)' is not an absolute URL")
                }
                record = try await Self.workflow { try await deps.media.add(from: url, owner: user) }
            } else {
                // Streamed to a staging file within the cap; an announced length over it is refused unread.
                let limit = deps.media.policy.limits.maxInputBytes
                if let announced = request.headers[.contentLength].flatMap(Int.init), announced > limit {
                    throw APIError(.contentTooLarge, "media_too_large", "the upload has \(announced) bytes, more than the limit of \(limit)")
                }
                record = try await Self.workflow { try await deps.media.add(streaming: request.body, owner: user) }
            }
            return try JSONBody.response(record, status: .created)
        }
        group.get("/users/:user/media") { request, context in
            let user = try context.user(context.parameters.get("user") ?? "")
            let limit = try QueryParameter.integer("limit", of: request, in: 1...500, default: 50)
            let offset = try QueryParameter.integer("offset", of: request, in: 0...Int.max, default: 0)
            return try JSONBody.response(["media": try await Self.workflow { try await deps.media.list(owner: user, limit: limit, offset: offset) }])
        }
        group.get("/media/:id") { request, context in
            let record = try await Self.media(context, deps.media)
            let tag = "\"\(record.digest)\""
            var headers: HTTPFields = [.eTag: tag, .cacheControl: "private, max-age=31536000, immutable", .acceptRanges: "bytes",
                                       .contentType: Self.contentType(of: record)]
            if Self.matches(request.headers[.ifNoneMatch], tag) {
                return Response(status: .notModified, headers: headers)
            }
            let length = record.byteCount
            switch ByteRange(range: request.headers[.range], ifRange: request.headers[.ifRange], tag: tag, length: length) {
            case .whole:
                let body = length == 0 ? ResponseBody() : try await Self.bytes(of: record, first: 0, last: length - 1, deps.media, context)
                return Response(status: .ok, headers: headers, body: body)
            case let .part(first, last):
                headers[.contentRange] = "bytes \(first)-\(last)/\(length)"
                return Response(status: .partialContent, headers: headers, body: try await Self.bytes(of: record, first: first, last: last, deps.media, context))
            case .unsatisfiable:
                headers[.contentRange] = "bytes */\(length)"
                let range = request.headers[.range] ?? ""
                var error = APIError(.rangeNotSatisfiable, "range_not_satisfiable", "the range '\(range)' is not within the \(length) bytes")
                error.headers = headers
                throw error
            }
        }
        group.get("/media/:id/info") { _, context in
            let record = try await Self.media(context, deps.media)
            let info = try await Self.workflow { try await deps.media.info(record.id, owner: record.owner) }
            return try JSONBody.response(MediaInfoBody(record: info.record, header: info.header))
        }
        group.delete("/media/:id") { _, context in
            let record = try await Self.media(context, deps.media)
            try await Self.workflow { try await deps.media.delete(record.id, owner: record.owner) }
            return Response(status: .noContent)
        }
        group.post("/media/:id/process") { request, context in
            let record = try await Self.media(context, deps.media)
            let body = try await JSONBody.decode(ProcessBody.self, from: request)
            let operation = try body.mediaOperation()
            let result = try await Self.workflow {
                try await deps.mediaProcessing.run(MediaProcessing.Request(user: record.owner, input: .stored(record.id), operation: operation))
            }
            return try JSONBody.response(ProcessResult(output: result.output, cost: result.cost, runs: result.runs, runSeconds: result.runSeconds),
                                         status: .created)
        }
    }

    /// The media of the `:id` in the path, if the key may act for its owner (`media_not_found`
    /// otherwise, as for an id that does not exist).
    static func media(_ context: APIContext, _ media: MediaService) async throws -> MediaRecord {
        let id = context.parameters.get("id") ?? ""
        let record = try await workflow { try await media.record(id) }
        guard try context.requireKey().mayAct(for: record.owner) else {
            throw APIError(.notFound, "media_not_found", "there is no media '\(id)'")
        }
        return record
    }

    /// Bytes `first...last` of `record`: read from its file in chunks as they are sent when the
    /// store keeps one (a 100 MiB original is never whole in memory), else from the store.
    static func bytes(of record: MediaRecord, first: Int, last: Int, _ media: MediaService, _ context: APIContext) async throws -> ResponseBody {
        if let file = try await workflow({ try media.localFile(of: record) }) {
            return try await FileIO().loadFile(path: file, range: first...last, context: context)
        }
        let data = try await workflow { try await media.data(record.id, owner: record.owner).data }
        guard first < data.count else { return ResponseBody() }  // shorter than its record says: never read past it
        return ResponseBody(byteBuffer: ByteBuffer(bytes: data[(data.startIndex + first)...(data.startIndex + min(last, data.count - 1))]))
    }

    /// Runs a service call with its errors in the API's terms.
    static func workflow<Value>(_ body: () async throws -> Value) async throws -> Value {
        do { return try await body() } catch { throw APIError(any: error) }
    }

    static func contentType(of record: MediaRecord) -> String {
        switch record.format {
        case "jpeg": "image/jpeg"
        case "png", "webp", "gif", "avif", "tiff", "heif": "image/\(record.format)"
        case "svg": "image/svg+xml"
        default: "application/octet-stream"
        }
    }

    struct URLBody: Decodable { var url: String }

    struct MediaInfoBody: Encodable {
        var record: MediaRecord
        var header: ImageHeader
    }

    struct ProcessResult: Encodable {
        var output: MediaRecord
        var cost: Int
        var runs: Int
        var runSeconds: Double
        enum CodingKeys: String, CodingKey { case output, cost, runs, runSeconds = "run_seconds" }
    }

    /// `POST /v1/media/{id}/process`: a transform plan in its compact form, or a ComfyUI operation.
    struct ProcessBody: Decodable {
        /// `plan`, `upscale` or `remove_background`.
        var operation: String
        var plan: String?
        var scale: Double?
        var template: String?

        func mediaOperation() throws -> MediaOperation {
            switch operation {
            case "plan":
                guard let plan else { throw APIError(.badRequest, "invalid_params", "plan: required for the operation 'plan'") }
                do { return .plan(try TransformPlan(parsing: plan)) } catch { throw APIError(any: error) }
            case "upscale": return .upscale(scale: scale ?? 2, template: template)
            case "remove_background": return .removeBackground(template: template)
            default:
                throw APIError(.badRequest, "invalid_params", "operation: expected plan, upscale or remove_background, received '\(operation)'")
            }
        }
    }
}
