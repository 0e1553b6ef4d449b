import Foundation

/// The OpenAPI 3.1 document of the API, served at `/openapi.json`: every operation with its
/// parameters, body, answers and whether it needs a key. Built from ``operations``, which a test
/// compares with the router's routes, so the document and the server cannot drift apart.
enum OpenAPIDocument {
    /// One operation: `GET /v1/jobs/{id}`, what it does, what it takes and answers.
    struct Operation {
        var method: String
        var path: String
        var summary: String
        /// Whether it needs `Authorization: Bearer <key>` (false: public, or signed).
        var needsKey = true
        var query: [String] = []
        /// The body's media type, when it takes one.
        var body: String?
        /// Status → what it means.
        var responses: [Int: String]
        /// `text/event-stream`, an image, … instead of JSON.
        var produces = "application/json"
    }

    static let json = "application/json"

    static let operations: [Operation] = [
        .init(method: "GET", path: "/health", summary: "The server is up", needsKey: false, responses: [200: "ok"]),
        .init(method: "GET", path: "/ready", summary: "The database answers; which ComfyUI servers do", needsKey: false,
              responses: [200: "ready", 503: "the database does not answer"]),
        .init(method: "GET", path: "/openapi.json", summary: "This document", needsKey: false, responses: [200: "the document"]),
        .init(method: "POST", path: "/webhooks/{name}", summary: "A platform's webhook (telegram): it proves itself with its own secret",
              needsKey: false, body: json,
              responses: [200: "taken", 401: "the platform's secret is missing or wrong", 404: "no such webhook", 413: "too large"]),
        .init(method: "GET", path: "/metrics", summary: "Admin: Prometheus metrics (requests by route and status, durations, on-the-fly images)",
              responses: [200: "the metrics", 403: "not an admin key"], produces: "text/plain"),
        .init(method: "GET", path: "/v1/templates", summary: "The workflow templates and their inputs", responses: [200: "the templates"]),
        .init(method: "POST", path: "/v1/images", summary: "Start makeImage; answers once the points are held", body: json,
              responses: [202: "the job and where its events are", 400: "invalid", 402: "not enough points", 404: "unknown template",
                          429: "too many open jobs", 503: "no ComfyUI server can run it"]),
        .init(method: "GET", path: "/v1/jobs/{id}", summary: "A job", responses: [200: "the job", 404: "no such job"]),
        .init(method: "POST", path: "/v1/jobs/{id}/cancel", summary: "Cancel a job; its points are released",
              responses: [200: "the job as it ended", 404: "no such job"]),
        .init(method: "GET", path: "/v1/jobs/{id}/events", summary: "A job's events as Server-Sent Events (Last-Event-ID resumes)",
              responses: [200: "the events", 404: "no such job"], produces: "text/event-stream"),
        .init(method: "POST", path: "/v1/media", summary: "Store an upload (the body) or {\"url\"}", query: ["user"], body: "application/octet-stream",
              responses: [201: "the record", 400: "refused address or invalid", 413: "too large", 415: "not an image"]),
        .init(method: "GET", path: "/v1/media/{id}", summary: "The bytes (ETag, If-None-Match, one Range, If-Range)",
              responses: [200: "the bytes", 206: "a range", 304: "not modified", 404: "no such media", 416: "range not satisfiable"],
              produces: "application/octet-stream"),
        .init(method: "DELETE", path: "/v1/media/{id}", summary: "Delete a media item", responses: [204: "deleted", 404: "no such media"]),
        .init(method: "GET", path: "/v1/media/{id}/info", summary: "The record and the image header", responses: [200: "the info", 404: "no such media"]),
        .init(method: "POST", path: "/v1/media/{id}/process", summary: "Run a transform plan, an upscale or a background removal", body: json,
              responses: [201: "the result", 400: "invalid", 402: "not enough points", 404: "no such media"]),
        .init(method: "GET", path: "/v1/users/{user}/media", summary: "A user's media, newest first", query: ["limit", "offset"],
              responses: [200: "the media"]),
        .init(method: "GET", path: "/v1/users/{user}/settings", summary: "Settings with limits and choices", responses: [200: "the settings"]),
        .init(method: "PATCH", path: "/v1/users/{user}/settings", summary: "Change settings, all or nothing", body: json,
              responses: [200: "the settings", 400: "invalid settings, each named"]),
        .init(method: "DELETE", path: "/v1/users/{user}/settings", summary: "Reset settings to the defaults", responses: [200: "the settings"]),
        .init(method: "GET", path: "/v1/users/{user}/points", summary: "The balance", responses: [200: "the balance"]),
        .init(method: "GET", path: "/v1/users/{user}/ledger", summary: "The ledger, newest first", query: ["limit"], responses: [200: "the entries"]),
        .init(method: "POST", path: "/v1/users/{user}/credits", summary: "Admin: grant credits, idempotent by key", body: json,
              responses: [201: "the balance", 403: "not an admin key"]),
        .init(method: "GET", path: "/v1/users/{user}/training/price", summary: "What training costs the user", responses: [200: "the price"]),
        .init(method: "POST", path: "/v1/users/{user}/datasets", summary: "A new training dataset", body: json,
              responses: [201: "the dataset", 400: "invalid", 429: "too many datasets"]),
        .init(method: "GET", path: "/v1/users/{user}/datasets", summary: "The user's datasets", responses: [200: "the datasets"]),
        .init(method: "GET", path: "/v1/users/{user}/datasets/{id}", summary: "A dataset", responses: [200: "the dataset", 404: "no such dataset"]),
        .init(method: "DELETE", path: "/v1/users/{user}/datasets/{id}", summary: "Delete a draft", responses: [204: "deleted", 409: "not a draft"]),
        .init(method: "PUT", path: "/v1/users/{user}/datasets/{id}/slots/{slot}", summary: "Set a slot's image (a media id) or caption", body: json,
              responses: [200: "the dataset", 409: "not a draft"]),
        .init(method: "DELETE", path: "/v1/users/{user}/datasets/{id}/slots/{slot}", summary: "Empty a slot", responses: [200: "the dataset"]),
        .init(method: "POST", path: "/v1/users/{user}/datasets/{id}/submit", summary: "Submit: images prepared, price held",
              responses: [200: "the dataset", 400: "too few images or captions", 402: "not enough points"]),
        .init(method: "POST", path: "/v1/users/{user}/datasets/{id}/train", summary: "Train an approved dataset in the background",
              responses: [202: "started on a server", 409: "not approved", 503: "no server can train"]),
        .init(method: "GET", path: "/v1/users/{user}/datasets/{id}/events", summary: "The training's events as Server-Sent Events",
              responses: [200: "the events"], produces: "text/event-stream"),
        .init(method: "POST", path: "/v1/users/{user}/datasets/{id}/cancel", summary: "Withdraw; the held points are released",
              responses: [200: "the dataset", 409: "nothing to cancel"]),
        .init(method: "POST", path: "/v1/users/{user}/collections", summary: "A new collection, generative with a series", body: json,
              responses: [201: "the collection", 400: "invalid, or a malformed master prompt (the spot named)", 429: "too many collections"]),
        .init(method: "GET", path: "/v1/users/{user}/collections", summary: "The user's collections, newest first", responses: [200: "the collections"]),
        .init(method: "GET", path: "/v1/users/{user}/collections/{id}", summary: "A collection: members, series, pieces counted",
              responses: [200: "the collection", 404: "no such collection"]),
        .init(method: "PATCH", path: "/v1/users/{user}/collections/{id}", summary: "Rename, describe, or give a new series (not while it cooks)",
              body: json, responses: [200: "the collection", 400: "invalid", 409: "cooking"]),
        .init(method: "DELETE", path: "/v1/users/{user}/collections/{id}", summary: "Delete; media stay unless delete_media (and nothing else uses them)",
              query: ["delete_media"], responses: [200: "what was deleted and kept", 409: "cooking"]),
        .init(method: "POST", path: "/v1/users/{user}/collections/{id}/items", summary: "Add media (or a dataset's model) at the end", body: json,
              responses: [200: "the members", 404: "no such media"]),
        .init(method: "PUT", path: "/v1/users/{user}/collections/{id}/items", summary: "Reorder: every member once", body: json,
              responses: [200: "the members", 400: "not every member once"]),
        .init(method: "DELETE", path: "/v1/users/{user}/collections/{id}/items/{media}", summary: "Take media out (the media stays)",
              responses: [200: "the members", 404: "not a member"]),
        .init(method: "GET", path: "/v1/users/{user}/collections/{id}/sheet", summary: "A contact sheet of the members",
              responses: [200: "the sheet", 400: "nothing to show"], produces: "image/jpeg"),
        .init(method: "GET", path: "/v1/users/{user}/collections/{id}/pieces", summary: "The pieces by number", responses: [200: "the pieces"]),
        .init(method: "POST", path: "/v1/users/{user}/collections/{id}/review", summary: "Approve or reject made pieces", body: json,
              responses: [200: "the pieces", 404: "no such piece", 409: "a piece not made"]),
        .init(method: "POST", path: "/v1/users/{user}/collections/{id}/redo", summary: "Make pieces again under the current configuration", body: json,
              responses: [200: "the pieces, planned", 404: "no such piece", 409: "cooking, or a piece not made"]),
        .init(method: "GET", path: "/v1/users/{user}/collections/{id}/rarity", summary: "Trait counts among approved pieces against their weights",
              responses: [200: "the report", 409: "no series"]),
        .init(method: "POST", path: "/v1/users/{user}/collections/{id}/cook", summary: "Cook the series in the background",
              responses: [202: "started, and where its events are", 409: "no series, or already cooking"]),
        .init(method: "POST", path: "/v1/users/{user}/collections/{id}/pause", summary: "Pause: the piece in progress finishes",
              responses: [200: "the collection", 409: "not cooking"]),
        .init(method: "POST", path: "/v1/users/{user}/collections/{id}/stop", summary: "Stop: the piece in progress is cancelled, its points released",
              responses: [200: "the collection", 409: "not cooking"]),
        .init(method: "GET", path: "/v1/users/{user}/collections/{id}/events", summary: "The cook's events as Server-Sent Events",
              responses: [200: "the events"], produces: "text/event-stream"),
        .init(method: "GET", path: "/v1/users/{user}/collections/{id}/export", summary: "The zip: images, ERC-721 and Metaplex metadata, sheet, rarity",
              query: ["include_pending"], responses: [200: "the zip", 409: "nothing approved to export"], produces: "application/zip"),
        .init(method: "GET", path: "/v1/reviews", summary: "Admin: the datasets waiting for review", responses: [200: "the datasets"]),
        .init(method: "POST", path: "/v1/datasets/{id}/review", summary: "Admin: approve or reject a submission", body: json,
              responses: [200: "the dataset", 409: "not waiting for review"]),
        .init(method: "GET", path: "/v1/img/{signature}/{plan}/{source}", summary: "An image made on the fly from a signed plan", needsKey: false,
              responses: [200: "the image", 304: "not modified", 400: "invalid plan or refused address", 403: "bad signature",
                          503: "busy: try again after Retry-After"],
              produces: "image/*"),
    ]

    /// The document, as JSON.
    static func data() -> Data {
        var paths: [String: [String: Any]] = [:]
        for operation in operations {
            let parameters = pathParameters(operation.path).map { ["name": $0, "in": "path", "required": true, "schema": ["type": "string"]] as [String: Any] }
                + operation.query.map { ["name": $0, "in": "query", "required": $0 == "user", "schema": ["type": "string"]] as [String: Any] }
            var entry: [String: Any] = [
                "summary": operation.summary,
                "operationId": operation.method.lowercased() + operation.path.split(separator: "/").map { $0.filter(\.isLetter).capitalized }.joined(),
                "responses": Dictionary(uniqueKeysWithValues: operation.responses.map { status, meaning in
                    (String(status), response(meaning, status: status, produces: operation.produces))
                }),
            ]
            if !parameters.isEmpty { entry["parameters"] = parameters }
            if let body = operation.body { entry["requestBody"] = ["required": true, "content": [body: ["schema": ["type": body == json ? "object" : "string"]]]] }
            if !operation.needsKey { entry["security"] = [[String: Any]]() }
            paths[operation.path, default: [:]][operation.method.lowercased()] = entry
        }
        let document: [String: Any] = [
            "openapi": "3.1.0",
            "info": ["title": "Darkroom", "version": "1", "description": "The workflows of Darkroom over HTTP: JSON under /v1, an API key per client application."],
            "security": [["bearer": [String]()]],
            "paths": paths,
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]],
                "schemas": ["Error": ["type": "object", "required": ["error"], "properties": ["error": [
                    "type": "object", "required": ["code", "message"],
                    "properties": ["code": ["type": "string"], "message": ["type": "string"], "problems": ["type": "array", "items": ["type": "string"]],
                                   "required": ["type": "integer"], "available": ["type": "integer"]],
                ]]]],
            ],
        ]
        return (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    }

    static func pathParameters(_ path: String) -> [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }.map { String($0.dropFirst().dropLast()) }
    }

    private static func response(_ meaning: String, status: Int, produces: String) -> [String: Any] {
        if status >= 400 { return ["description": meaning, "content": [json: ["schema": ["$ref": "#/components/schemas/Error"]]]] }
        if status == 204 || status == 304 { return ["description": meaning] }
        return ["description": meaning, "content": [produces: ["schema": produces == json ? ["type": "object"] : ["type": "string"]]]]
    }
}
