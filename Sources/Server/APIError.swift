public import Hummingbird
import Foundation
public import Workflows

/// An error as the HTTP API answers it: a status and `{"error": {"code", "message", …}}` with
/// the stable code of the workflow error it came from.
public struct APIError: Error, Sendable, HTTPResponseError {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    public var problems: [String] = []
    public var required: Int?
    public var available: Int?
    /// Sent as `Retry-After`, in seconds.
    public var retryAfter: Int?
    /// More headers to send (a `Content-Range` with a 416).
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, problems: [String] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.problems = problems
    }

    /// A workflow's error with the status its code stands for.
    public init(_ error: WorkflowError) {
        self.init(Self.status(of: error.code), error.code.rawValue, error.message, problems: error.problems)
        required = error.required
        available = error.available
    }

    /// Whatever a handler threw, in the API's terms.
    public init(any error: any Error) {
        if let error = error as? APIError { self = error; return }
        self.init(WorkflowError(error))
    }

    static func status(of code: WorkflowError.Code) -> HTTPResponse.Status {
        switch code.rawValue {
        case "not_enough_points": .init(code: 402, reasonPhrase: "Payment Required")
        case "media_not_found", "job_not_found", "dataset_not_found", "collection_not_found", "unknown_template", "unknown_user": .notFound
        case "media_too_large": .contentTooLarge
        case "unsupported_media": .unsupportedMediaType
        case "too_many_jobs", "too_many_datasets", "too_many_collections", "storage_quota_exceeded": .tooManyRequests
        case "dataset_state_conflict", "collection_state_conflict", "job_already_settled", "duplicate_id": .conflict
        case "comfyui_unavailable", "template_unavailable": .serviceUnavailable
        case "generation_timeout": .gatewayTimeout
        case "generation_failed", "submission_failed", "fetch_failed": .badGateway
        case "internal_error", "storage_failed", "processing_failed": .internalServerError
        default: .badRequest
        }
    }

    public static func unauthorized(_ message: String) -> APIError { APIError(.unauthorized, "unauthorized", message) }
    public static func forbidden(_ message: String) -> APIError { APIError(.forbidden, "forbidden", message) }
    public static func notFound(_ message: String) -> APIError { APIError(.notFound, "not_found", message) }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var body: [String: JSONBody] = ["code": .text(code), "message": .text(message)]
        if !problems.isEmpty { body["problems"] = .list(problems) }
        if let required { body["required"] = .number(required) }
        if let available { body["available"] = .number(available) }
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(["error": body])) ?? Data(#"{"error":{"code":"internal_error"}}"#.utf8)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The few shapes an error body holds.
    enum JSONBody: Encodable {
        case text(String), number(Int), list([String])
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let value): try container.encode(value)
            case .number(let value): try container.encode(value)
            case .list(let value): try container.encode(value)
            }
        }
    }
}
