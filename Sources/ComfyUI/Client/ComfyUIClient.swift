public import ComfyUIModel
import AsyncHTTPClient
public import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A client of one ComfyUI server's HTTP API (`/prompt`, `/history`, `/view`, `/upload/image`,
/// `/object_info`, `/queue`, `/interrupt`, `/system_stats`), built from what a real 0.3.64
/// server sent and received (`Tests/Fixtures/comfyui`). Every failure is a ``ComfyUIError``.
public struct ComfyUIClient: Sendable {
    /// The server, e.g. `http://127.0.0.1:8188`.
    public let baseURL: URL
    /// The limit for one HTTP request.
    public var requestTimeout: Duration
    /// The largest JSON answer read (history, `/object_info`, the queue): 16 MiB. A server is not
    /// trusted to keep its answers small.
    public var maxJSONBytes = 16 * 1024 * 1024
    /// The largest output image fetched with `/view`: 100 MiB, the imaging core's file limit.
    public var maxImageBytes = 100 * 1024 * 1024
    /// The most bytes all output images of one run may add up to: 512 MiB.
    public var maxRunBytes = 512 * 1024 * 1024
    /// What runs wait by (deadlines, polling, the checks that a prompt is still queued).
    public var clock: any MonotonicClock
    private let http: HTTPClient

    /// A client of the server at `baseURL`, on the process-wide shared HTTP client.
    public init(baseURL: URL, requestTimeout: Duration = .seconds(30), clock: any MonotonicClock = SystemMonotonicClock()) {
        self.baseURL = baseURL
        self.requestTimeout = requestTimeout
        self.clock = clock
        self.http = .shared
    }

    /// Queues a graph. A 400 becomes `validation_failed` with every node error; a 200 that
    /// dropped invalid branches is accepted and lists them in ``Submission/droppedBranches``.
    public func submit(_ graph: [String: JSONValue], clientID: String) async throws -> Submission {
        let body = try JSONEncoder().encode(["prompt": JSONValue.object(graph), "client_id": .string(clientID)])
        let (status, data) = try await send("POST", "/prompt", json: body)
        let answer = try decode([String: JSONValue].self, data, from: "/prompt")
        let nodeErrors = Self.problems(answer["node_errors"])
        switch status {
        case 200:
            guard let promptID = answer["prompt_id"]?.string else { throw badResponse("/prompt answered without a prompt_id") }
            return Submission(promptID: promptID, number: answer["number"]?.number ?? 0, droppedBranches: nodeErrors)
        case 400:
            let error = answer["error"]?.object
            let message = error?["message"]?.string ?? "the server refused the graph"
            let details = error?["details"]?.string.flatMap { $0.isEmpty ? nil : $0 }
            throw ComfyUIError(.validationFailed, details.map { "\(message): \($0)" } ?? message, problems: nodeErrors)
        default:
            throw badResponse("/prompt answered HTTP \(status)")
        }
    }

    /// The finished run of `promptID`, or `nil` while it is pending or running (the server
    /// writes history only once a prompt has finished).
    public func history(of promptID: String) async throws -> RunRecord? {
        let path = "/history/\(URLEncoding.component(promptID))"
        let (status, data) = try await send("GET", path)
        guard status == 200 else { throw badResponse("\(path) answered HTTP \(status)") }
        let answer = try decode([String: JSONValue].self, data, from: path)
        guard let entry = answer[promptID]?.object else { return nil }
        return try RunRecord(promptID: promptID, entry: entry)
    }

    /// The bytes of an output image, fetched with `/view` and the fields history gave.
    public func image(_ image: OutputImage) async throws -> Data {
        guard let data = try await file(image, maxBytes: maxImageBytes) else {
            throw badResponse("/view of \(image.filename) answered HTTP 404")
        }
        return data
    }

    /// The bytes of any file the server keeps (`type` output, input or temp), fetched with
    /// `/view`: a trained LoRA that its saving node does not list in history, say; `nil` when
    /// the server has no such file (HTTP 404). More than `maxBytes` is `response_too_large`.
    public func file(_ file: OutputImage, maxBytes: Int) async throws -> Data? {
        let query = URLEncoding.query(["filename": file.filename, "subfolder": file.subfolder, "type": file.type])
        let (status, data) = try await send("GET", "/view?" + query, limit: maxBytes)
        if status == 404 { return nil }
        guard status == 200 else { throw badResponse("/view of \(file.filename) answered HTTP \(status)") }
        return data
    }

    /// Uploads an input file (an image, or a training caption) into the input folder, or into
    /// `subfolder` of it; returns the name the file got (the server may rename it unless
    /// `overwrite`), relative to that subfolder.
    public func upload(_ data: Data, filename: String, subfolder: String = "", overwrite: Bool = false) async throws -> String {
        let boundary = "darkroom-\(UUID().uuidString)"
        var form = MultipartForm(boundary: boundary)
            .field("type", "input")
            .field("overwrite", overwrite ? "true" : "false")
        if !subfolder.isEmpty { form = form.field("subfolder", subfolder) }
        form = form.file("image", filename: filename, contentType: "application/octet-stream", data: data)
        let (status, body) = try await send("POST", "/upload/image", body: form.encoded(),
                                            contentType: "multipart/form-data; boundary=\(boundary)")
        guard status == 200 else { throw ComfyUIError(.badResponse, "the server refused the upload of \(filename) (HTTP \(status))") }
        guard let name = try decode([String: JSONValue].self, body, from: "/upload/image")["name"]?.string else {
            throw badResponse("/upload/image answered without a name")
        }
        return name
    }

    /// Every node class the server has. Decoded on ``decodingThreads``: a server with many custom
    /// nodes answers megabytes.
    public func objectInfo() async throws -> ObjectInfo {
        let (status, data) = try await send("GET", "/object_info")
        guard status == 200 else { throw badResponse("/object_info answered HTTP \(status)") }
        return try await Self.decodingThreads.runIfActive { try self.decode(ObjectInfo.self, data, from: "/object_info") }
    }

    /// Threads of the clients' own for decoding large answers. Decoding megabytes of JSON would
    /// hold one of Swift's cooperative threads; on NIO's shared blocking-I/O pool it held up the
    /// file writes of uploads behind it (seconds each on a loaded 2-core machine).
    private static let decodingThreads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        return pool
    }()

    /// Prompts running or waiting (`GET /prompt`: `exec_info.queue_remaining`), the cheap
    /// question a pool asks to pick the least busy server.
    public func queueRemaining() async throws -> Int {
        let (status, data) = try await send("GET", "/prompt")
        guard status == 200 else { throw badResponse("GET /prompt answered HTTP \(status)") }
        guard let remaining = try decode([String: JSONValue].self, data, from: "/prompt")["exec_info"]?.object?["queue_remaining"]?.int64,
              remaining >= 0, let count = Int(exactly: remaining) else {
            throw badResponse("GET /prompt answered without a queue_remaining count")
        }
        return count
    }

    /// The model files installed in `folder` (`checkpoints`, `loras`, …); `invalid_input` for a
    /// folder the server does not have.
    public func models(in folder: String) async throws -> [String] {
        let path = "/models/\(URLEncoding.component(folder))"
        let (status, data) = try await send("GET", path)
        if status == 404 { throw ComfyUIError(.invalidInput, "the server has no model folder '\(folder)'") }
        guard status == 200 else { throw badResponse("\(path) answered HTTP \(status)") }
        return try decode([String].self, data, from: path)
    }

    /// Checks a graph against this server's `/object_info` without queueing anything: unknown
    /// classes, missing inputs, combo values not installed (a checkpoint, a LoRA, a sampler),
    /// numbers out of bounds, broken links. Throws `graph_rejected` listing every problem.
    public func check(_ graph: [String: JSONValue]) async throws {
        try check(graph, against: try await objectInfo())
    }

    /// ``check(_:)`` against an `/object_info` already fetched (a cached one).
    public func check(_ graph: [String: JSONValue], against objectInfo: ObjectInfo) throws {
        let problems = GraphChecker(objectInfo: objectInfo).problems(in: graph)
        guard problems.isEmpty else {
            throw ComfyUIError(.graphRejected, "the graph does not fit the server at \(baseURL.absoluteString)", problems: problems)
        }
    }

    /// What runs and what waits, with each prompt's client id.
    public func queue() async throws -> QueueState {
        let (status, data) = try await send("GET", "/queue")
        guard status == 200 else { throw badResponse("/queue answered HTTP \(status)") }
        return QueueState(try decode([String: JSONValue].self, data, from: "/queue"))
    }

    /// The server's version, memory and devices.
    public func systemStats() async throws -> SystemStats {
        let (status, data) = try await send("GET", "/system_stats")
        guard status == 200 else { throw badResponse("/system_stats answered HTTP \(status)") }
        return try decode(SystemStats.self, data, from: "/system_stats")
    }

    /// Interrupts `promptID` if it is the one running (nothing happens otherwise).
    public func interrupt(_ promptID: String) async throws {
        let body = try JSONEncoder().encode(["prompt_id": promptID])
        let (status, _) = try await send("POST", "/interrupt", json: body)
        guard status == 200 else { throw badResponse("/interrupt answered HTTP \(status)") }
    }

    /// Removes prompts that have not started yet.
    public func deletePending(_ promptIDs: [String]) async throws {
        let body = try JSONEncoder().encode(["delete": promptIDs])
        let (status, _) = try await send("POST", "/queue", json: body)
        guard status == 200 else { throw badResponse("/queue delete answered HTTP \(status)") }
    }

    // MARK: - Transport

    private func send(_ method: String, _ path: String, json: Data) async throws -> (UInt, Data) {
        try await send(method, path, body: json, contentType: "application/json")
    }

    /// Sends one request and reads at most `limit` bytes of the answer (``maxJSONBytes`` unless
    /// told otherwise); a longer answer is `response_too_large`, read no further.
    private func send(_ method: String, _ path: String, body: Data? = nil, contentType: String? = nil,
                      limit: Int? = nil) async throws -> (UInt, Data) {
        let limit = limit ?? maxJSONBytes
        let url = baseURL.absoluteString.trimmingSuffix("/") + path
        var request = HTTPClientRequest(url: url)
        request.method = .init(rawValue: method)
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let timeout = TimeAmount.nanoseconds(Int64(requestTimeout.components.seconds) * 1_000_000_000
                                             + requestTimeout.components.attoseconds / 1_000_000_000)
        do {
            return try await withThrowingTaskGroup(of: (UInt, Data)?.self) { [request] group in
                group.addTask {
                    let response = try await http.execute(request, timeout: timeout)
                    if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > limit {
                        throw ComfyUIError.tooLarge(method, path, limit: limit)
                    }
                    let buffer: ByteBuffer
                    do { buffer = try await response.body.collect(upTo: limit) } catch is NIOTooManyBytesError {
                        throw ComfyUIError.tooLarge(method, path, limit: limit)
                    }
                    return (response.status.code, Data(buffer.readableBytesView))
                }
                group.addTask { [baseURL] in
                    // A request that has not answered soon may be waiting on a server that is
                    // down: if nothing listens, say so now rather than at the deadline.
                    try await clock.sleep(for: .milliseconds(300))
                    if let failure = await PortProbe.failure(connectingTo: baseURL) {
                        throw ComfyUIError(.serverUnreachable, "cannot reach ComfyUI at \(baseURL.absoluteString): \(failure)")
                    }
                    return nil
                }
                while let finished = try await group.next() {
                    if let answer = finished {
                        group.cancelAll()
                        return answer
                    }
                }
                throw CancellationError()
            }
        } catch let error as ComfyUIError {
            throw error
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw ComfyUIError(.timedOut, "\(baseURL.absoluteString) did not answer \(method) \(path.prefix(60)) within \(requestTimeout)")
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw ComfyUIError(.serverUnreachable, "cannot reach ComfyUI at \(baseURL.absoluteString): \(error)")
        }
    }

    private func decode<Value: Decodable>(_ type: Value.Type, _ data: Data, from path: String) throws -> Value {
        do { return try JSONDecoder().decode(type, from: data) } catch {
            throw badResponse("\(path) answered something that is not the expected JSON")
        }
    }

    private func badResponse(_ message: String) -> ComfyUIError { ComfyUIError(.badResponse, message) }

    /// The node errors of a `/prompt` answer, one problem per error.
    package static func problems(_ nodeErrors: JSONValue?) -> [GraphProblem] {
        (nodeErrors?.object ?? [:]).sorted { $0.key < $1.key }.flatMap { id, value -> [GraphProblem] in
            let node = value.object ?? [:]
            let classType = node["class_type"]?.string
            return (node["errors"]?.array ?? []).map { error in
                let fields = error.object ?? [:]
                let input = fields["extra_info"]?.object?["input_name"]?.string
                var message = fields["message"]?.string ?? "refused"
                if let details = fields["details"]?.string, !details.isEmpty, details != input { message += " (\(details))" }
                return GraphProblem(node: id, classType: classType, input: input, message: message, code: fields["type"]?.string)
            }
        }
    }
}

private extension String {
    func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}

private extension ComfyUIError {
    static func tooLarge(_ method: String, _ path: String, limit: Int) -> ComfyUIError {
        ComfyUIError(.responseTooLarge, "\(method) \(path.prefix(60)) answered more than \(limit / (1024 * 1024)) MiB; it was not read")
    }
}
