import ComfyUI
import ComfyUIModel
import Foundation
import Hummingbird
import NIOCore
import TestSupport

/// The HTTP routes of the test server, each answering in the shape the real server used.
enum Routes {
    static func register(on router: Router<BasicRequestContext>, state: ServerState) {
        router.add(middleware: RequestCounter(state: state))
        for prefix in ["", "/api"] {
            router.post("\(prefix)/prompt") { request, _ in try await prompt(request, state) }
            router.get("\(prefix)/history/:id") { _, context in
                try await pause(state)
                if await state.behaviour == .oversized { return oversizedJSON }
                let id = context.parameters.get("id") ?? ""
                return json(await state.historyEntry(id).map { .object([id: $0]) } ?? .object([:]))
            }
            router.get("\(prefix)/view") { request, _ in try await view(request, state) }
            router.post("\(prefix)/upload/image") { request, _ in try await upload(request, state) }
            router.get("\(prefix)/object_info") { _, _ in
                try await pause(state)
                if await state.behaviour == .oversized { return oversizedJSON }
                return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(bytes: await state.currentObjectInfoBytes())))
            }
            router.get("\(prefix)/prompt") { _, _ in
                try await pause(state)
                if await state.behaviour == .oversized { return oversizedJSON }
                return json(.object(["exec_info": .object(["queue_remaining": .integer(Int64(await state.activePrompts().count))])]))
            }
            router.get("\(prefix)/models/:folder") { _, context in
                try await pause(state)
                switch context.parameters.get("folder") {
                case "checkpoints": return json(.array([.string("tiny-random-sd15.safetensors")]))
                case "loras": return json(.array(await state.loraNames().map(JSONValue.string)))
                case let folder? where ["vae", "embeddings", "upscale_models", "controlnet"].contains(folder): return json(.array([]))
                default: return Response(status: .notFound)
                }
            }
            router.get("\(prefix)/queue") { _, _ in
                try await pause(state)
                if await state.behaviour == .oversized { return oversizedJSON }
                return json(await state.queueBody())
            }
            router.post("\(prefix)/queue") { request, _ in
                let body = try await decoded(request)
                if let ids = body?["delete"]?.array?.compactMap(\.string) { await state.delete(ids) }
                if body?["clear"] == .bool(true) { await state.clearPending() }
                return empty()
            }
            router.post("\(prefix)/interrupt") { request, _ in
                await state.interrupt(try await decoded(request)?["prompt_id"]?.string)
                return empty()
            }
            router.get("\(prefix)/system_stats") { _, _ in
                try await pause(state)
                var body = try ComfyUISamples.data("get_system_stats.json", at: ["response", "body"])
                if await state.isHostile, var stats = try? JSONDecoder().decode([String: JSONValue].self, from: body),
                   var system = stats["system"]?.object {
                    system["comfyui_version"] = .string("0.3.64" + ComfyUITestServer.terminalEscape)
                    stats["system"] = .object(system)
                    body = try JSONEncoder().encode(stats)
                }
                return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
            }
        }
    }

    /// POST /prompt: validated against the captured /object_info, answered like 0.3.64.
    static func prompt(_ request: Request, _ state: ServerState) async throws -> Response {
        try await pause(state)
        let number = await state.nextNumber()
        if await state.behaviour == .failSubmissions { return serverError() }
        guard let body = try await decoded(request) else { return serverError() }
        guard let graph = body["prompt"]?.object else {
            return refusal("no_prompt", "No prompt provided", details: "No prompt provided", nodeErrors: [:])
        }
        let info = await state.currentObjectInfo()
        let problems = GraphChecker(objectInfo: info).problems(in: graph)
        if let missing = problems.first(where: { $0.code == GraphChecker.Code.missingClassType }) {
            return refusal("invalid_prompt", "Cannot execute because a node is missing the class_type property.",
                           details: "Node ID '#\(missing.node)'", nodeErrors: [:])
        }
        if let unknown = problems.first(where: { $0.code == GraphChecker.Code.unknownClass }) {
            return refusal("invalid_prompt", "Cannot execute because node \(unknown.classType ?? "?") does not exist.",
                           details: "Node ID '#\(unknown.node)'", nodeErrors: [:])
        }
        if problems.contains(where: { $0.code == GraphChecker.Code.noOutputs }) {
            return refusal("prompt_no_outputs", "Prompt has no outputs", details: "", nodeErrors: [:])
        }
        var runnable = graph
        var nodeErrors: [String: JSONValue] = [:]
        if !problems.isEmpty {
            // Outputs whose branches are clean still run (a 200 with node_errors); the rest are dropped.
            let outputs = info.outputNodes(in: graph)
            let badNodes = Set(problems.map(\.node))
            var dependents: [String: [String]] = [:]
            var keep = Set<String>()
            for output in outputs.sorted() {
                let branch = ancestors(of: output, in: graph)
                if branch.isDisjoint(with: badNodes) { keep.formUnion(branch) }
                for node in branch.intersection(badNodes) { dependents[node, default: []].append(output) }
            }
            for (node, found) in Dictionary(grouping: problems, by: \.node) {
                nodeErrors[node] = .object([
                    "errors": .array(found.map { NodeError(problem: $0, graph: graph, objectInfo: info).json }),
                    "dependent_outputs": .array((dependents[node] ?? []).map(JSONValue.string)),
                    "class_type": found[0].classType.map(JSONValue.string) ?? .null,
                ])
            }
            guard !keep.isEmpty else {
                return refusal("prompt_outputs_failed_validation", "Prompt outputs failed validation", details: "", nodeErrors: nodeErrors)
            }
            runnable = graph.filter { keep.contains($0.key) }
        }
        let id = UUID().uuidString.lowercased()
        await state.enqueue(.init(id: id, number: number, graph: runnable, clientID: body["client_id"]?.string))
        return json(.object(["prompt_id": .string(id), "number": .integer(Int64(number)), "node_errors": .object(nodeErrors)]))
    }

    static func view(_ request: Request, _ state: ServerState) async throws -> Response {
        try await pause(state)
        let query = request.uri.queryParameters
        if await state.isHostile, let file = await state.anyOutputFile(), let data = FileManager.default.contents(atPath: file.path) {
            return Response(status: .ok, headers: [.contentType: "image/png"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        guard let filename = query.get("filename"), !filename.isEmpty else { return Response(status: .notFound) }
        guard !filename.contains(".."), ["output", "input", "temp"].contains(query.get("type") ?? "output") else {
            return Response(status: .badRequest)
        }
        let file = state.folder.appendingPathComponent(query.get("type") ?? "output")
            .appendingPathComponent(query.get("subfolder") ?? "").appendingPathComponent(filename)
        guard let data = FileManager.default.contents(atPath: file.path) else { return Response(status: .notFound) }
        let type = filename.hasSuffix(".png") ? "image/png" : "application/octet-stream"
        return Response(status: .ok, headers: [.contentType: type, .contentDisposition: "filename=\"\(filename)\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// POST /upload/image: stores the file (in `subfolder` of the input folder when given, which
    /// must stay inside it); the same name with other bytes is renamed `name (1).ext` unless `overwrite`.
    static func upload(_ request: Request, _ state: ServerState) async throws -> Response {
        try await pause(state)
        let body = Data(try await request.body.collect(upTo: 104_857_600).readableBytesView)
        guard let parts = MultipartParser.parse(body, contentType: request.headers[.contentType] ?? ""),
              let image = parts.first(where: { $0.name == "image" }), let original = image.filename else {
            return Response(status: .badRequest)
        }
        func field(_ name: String) -> String? { parts.first { $0.name == name }.map { String(decoding: $0.data, as: UTF8.self) } }
        let overwrite = field("overwrite").map { ["true", "1"].contains($0) } ?? false
        let subfolder = field("subfolder") ?? ""
        let root = state.folder.appendingPathComponent("input").standardizedFileURL
        let folder = root.appendingPathComponent(subfolder).standardizedFileURL
        guard folder.path == root.path || folder.path.hasPrefix(root.path + "/"), !original.contains("/") else {
            return Response(status: .badRequest)
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var name = original, index = 1
        let stem = (original as NSString).deletingPathExtension, ext = (original as NSString).pathExtension
        while !overwrite, let existing = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path), existing != image.data {
            name = "\(stem) (\(index))" + (ext.isEmpty ? "" : ".\(ext)")
            index += 1
        }
        try image.data.write(to: folder.appendingPathComponent(name))
        return json(.object(["name": .string(name), "subfolder": .string(subfolder), "type": .string("input")]))
    }

    /// `node` and every node it links from, transitively.
    static func ancestors(of node: String, in graph: [String: JSONValue]) -> Set<String> {
        var seen: Set<String> = [], stack = [node]
        while let next = stack.popLast() {
            guard seen.insert(next).inserted, let inputs = graph[next]?.object?["inputs"]?.object else { continue }
            for value in inputs.values { if let source = value.array?.first?.string { stack.append(source) } }
        }
        return seen
    }

    // MARK: - Helpers

    static func pause(_ state: ServerState) async throws {
        if case .slow(let delay) = await state.behaviour { try await Task.sleep(for: delay) }
    }

    /// 17 MiB of valid JSON: more than a client should read from any endpoint.
    static let oversizedJSON: Response = {
        var bytes = Array(#"{"padding": ""#.utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "x"), count: 17 * 1024 * 1024)
        bytes += Array(#""}"#.utf8)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }()

    static func decoded(_ request: Request) async throws -> [String: JSONValue]? {
        let bytes = try await request.body.collect(upTo: 64 * 1024 * 1024)
        if bytes.readableBytes == 0 { return [:] }
        return try? JSONDecoder().decode([String: JSONValue].self, from: Data(bytes.readableBytesView))
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONEncoder().encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func refusal(_ type: String, _ message: String, details: String, nodeErrors: [String: JSONValue]) -> Response {
        json(.object(["error": .object(["type": .string(type), "message": .string(message), "details": .string(details),
                                        "extra_info": .object([:])]),
                      "node_errors": .object(nodeErrors)]), status: .badRequest)
    }

    static func empty() -> Response { Response(status: .ok) }

    static func serverError() -> Response {
        Response(status: .internalServerError, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: "500 Internal Server Error\n\nServer got itself in trouble")))
    }
}
