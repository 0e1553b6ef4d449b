import ComfyUI
import ComfyUIModel
import Foundation
import Synchronization
import TestSupport
import Vips

/// Everything the test server remembers: the queue, history, uploads and outputs.
actor ServerState {
    /// Runs on a queue of its own, never on the thread of a test that calls in (see `ServerExecutor`).
    private let executor = ServerExecutor("comfyui-test-server")
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    struct QueuedPrompt {
        var id: String
        var number: Int
        var graph: [String: JSONValue]
        var clientID: String?
    }

    let folder: URL
    let objectInfo: ObjectInfo
    let objectInfoBytes: Data
    private(set) var behaviour: ComfyUITestServer.Behaviour = .normal

    /// Whether the server plays ``ComfyUITestServer/Behaviour/hostile(stall:)``.
    var isHostile: Bool { if case .hostile = behaviour { true } else { false } }
    private var counter = 0
    private var pending: [QueuedPrompt] = []
    private var running: QueuedPrompt?
    /// The node the running prompt is executing (re-sent to a client that reconnects).
    private var currentNode: String?
    private var history: [String: JSONValue] = [:]
    private var cache: [Data: [String: [OutputImage]]] = [:]
    private var fileCounters: [String: Int] = [:]
    /// Model files removed with ``uninstall(_:)``: no longer offered in any list.
    private var uninstalled: Set<String> = []
    private let interruptFlag = InterruptFlag()
    /// Set while the behaviour is `.hold`: a blur then running does not end until it is cleared.
    private let holdFlag = InterruptFlag()
    /// What goes out on a socket.
    enum Frame: Sendable { case text(String), binary(Data) }

    private var sockets: [String: (id: UUID, frames: AsyncStream<Frame>.Continuation, metadata: Bool)] = [:]
    /// A small JPEG sent as the sampler's preview after every step.
    private let previewJPEG: Data = (try? ComfyUISamples.binary("bot_prev_frame1.jpg")) ?? Data()
    private var worker: Task<Void, Never>?

    init(folder: URL, objectInfo: ObjectInfo, objectInfoBytes: Data) {
        self.folder = folder
        self.objectInfo = objectInfo
        self.objectInfoBytes = objectInfoBytes
        try? FileManager.default.createDirectory(at: folder.appendingPathComponent("input"), withIntermediateDirectories: true)
    }

    /// The captured full `/object_info`, with the tiny checkpoint and LoRA of the bot samples installed.
    /// ``capturedObjectInfo()``, decoded once per process: a test run starts dozens of servers,
    /// and decoding the whole `/object_info` each time kept the few threads of a small machine
    /// busy for seconds.
    static let shared: Result<(decoded: ObjectInfo, bytes: Data), any Error> = Result { try capturedObjectInfo() }

    /// The threads every test server runs its graphs on: its own, as a real ComfyUI is another
    /// process. A long graph (a chain of 0.3 s blurs) must not hold the shared image workers of
    /// the code under test, or every image operation of the test process waits behind it.
    static let graphWorkers = ImageWorkerPool(threads: 4)

    static func capturedObjectInfo() throws -> (decoded: ObjectInfo, bytes: Data) {
        var merged = try JSONSerialization.jsonObject(with: ComfyUISamples.fullObjectInfo()) as? [String: Any] ?? [:]
        for sample in ["get_object_info_CheckpointLoaderSimple_tiny.json", "get_object_info_LoraLoader_tiny.json"] {
            let body = (try ComfyUISamples.json(sample)["response"] as? [String: Any])?["body"] as? [String: Any] ?? [:]
            merged.merge(body) { $1 }
        }
        let bytes = try JSONSerialization.data(withJSONObject: merged)
        return (try JSONDecoder().decode(ObjectInfo.self, from: bytes), bytes)
    }

    func setBehaviour(_ behaviour: ComfyUITestServer.Behaviour) {
        self.behaviour = behaviour
        if behaviour == .hold { holdFlag.set() } else { holdFlag.reset() }
        wakeWorker()
    }

    /// The object info as the real server computes it per request: LoadImage offers the files
    /// now in the input folder, LoadImageTextSetFromFolderNode its subfolders, and the LoRA
    /// lists the LoRAs trained here (when ``listsTrainedLoRAs``).
    func currentObjectInfo() -> ObjectInfo {
        var info = objectInfo
        if !uninstalled.isEmpty {
            func offered(_ inputs: [String: InputSpec]) -> [String: InputSpec] {
                inputs.mapValues { spec in
                    guard case .combo(let values) = spec.kind else { return spec }
                    var kept = spec
                    kept.kind = .combo(values.filter { !uninstalled.contains($0) })
                    return kept
                }
            }
            info.classes = info.classes.mapValues { node in
                var node = node
                node.required = offered(node.required)
                node.optional = offered(node.optional)
                return node
            }
        }
        for list in liveLists() {
            var spec = info.classes[list.classType]?.required[list.input] ?? InputSpec(kind: .combo([]))
            spec.kind = .combo(list.values)
            info.classes[list.classType]?.required[list.input] = spec
        }
        return info
    }

    func uninstall(_ file: String) { uninstalled.insert(file) }

    /// Whether the LoRA lists (`LoraLoader`, `TrainLoraNode`'s `existing_lora`, `/models/loras`)
    /// include what SaveLoRANode saved under `output/loras`, as a real server does when its
    /// `extra_model_paths.yaml` names that folder among its LoRA folders.
    private(set) var listsTrainedLoRAs = true

    func setListsTrainedLoRAs(_ lists: Bool) { listsTrainedLoRAs = lists }

    /// `/object_info` as JSON, with the same live lists.
    func currentObjectInfoBytes() -> Data {
        // Built again only when what it lists changes (an upload, a saved LoRA, an uninstalled model).
        let lists = liveLists()
        let key = lists.flatMap { [$0.classType] + $0.values } + ["|"] + uninstalled.sorted()
        if let built = Self.builtObjectInfo.withLock({ $0[key] }) { return built }
        let bytes = buildObjectInfoBytes(lists)
        Self.builtObjectInfo.withLock { built in
            if built.count >= 32 { built.removeAll() }
            built[key] = bytes
        }
        return bytes
    }

    /// Every server's JSON by what it lists: the same lists give the same JSON on every server,
    /// and rebuilding the half megabyte for each of a run's many fresh servers cost seconds of
    /// CPU on a loaded machine.
    private static let builtObjectInfo = Mutex<[[String]: Data]>([:])

    private func buildObjectInfoBytes(_ lists: [LiveList]) -> Data {
        guard var json = try? JSONSerialization.jsonObject(with: objectInfoBytes) as? [String: Any] else { return objectInfoBytes }
        if !uninstalled.isEmpty { json = json.mapValues { withoutUninstalled($0) } }
        for list in lists {
            guard var node = json[list.classType] as? [String: Any], var input = node["input"] as? [String: Any],
                  var required = input["required"] as? [String: Any], var spec = required[list.input] as? [Any], !spec.isEmpty else { continue }
            spec[0] = list.values
            required[list.input] = spec
            input["required"] = required
            node["input"] = input
            json[list.classType] = node
        }
        return (try? JSONSerialization.data(withJSONObject: json)) ?? objectInfoBytes
    }

    /// One node class of `/object_info` with the uninstalled files taken out of its classic combo lists.
    private func withoutUninstalled(_ node: Any) -> Any {
        guard var node = node as? [String: Any], var input = node["input"] as? [String: Any] else { return node }
        for section in ["required", "optional"] {
            guard var specs = input[section] as? [String: Any] else { continue }
            for (name, spec) in specs {
                guard var spec = spec as? [Any], let values = spec.first as? [Any] else { continue }
                spec[0] = values.filter { !(($0 as? String).map(uninstalled.contains) ?? false) }
                specs[name] = spec
            }
            input[section] = specs
        }
        node["input"] = input
        return node
    }

    /// A required combo input whose values the server computes when asked.
    private struct LiveList {
        var classType: String
        var input: String
        var values: [String]
    }

    private func liveLists() -> [LiveList] {
        var lists = [LiveList(classType: "LoadImage", input: "image", values: inputFiles()),
                     LiveList(classType: "LoadImageTextSetFromFolderNode", input: "folder", values: inputSubfolders())]
        if listsTrainedLoRAs {
            let loras = loraNames()
            lists.append(LiveList(classType: "LoraLoader", input: "lora_name", values: loras))
            lists.append(LiveList(classType: "TrainLoraNode", input: "existing_lora", values: loras + ["[None]"]))
        }
        return lists
    }

    /// The LoRAs `LoraLoader` offers: the installed ones, and the trained ones when listed.
    func loraNames() -> [String] {
        let installed = objectInfo.classes["LoraLoader"]?.required["lora_name"].flatMap { spec -> [String]? in
            if case .combo(let values) = spec.kind { values } else { nil }
        } ?? []
        let trained = listsTrainedLoRAs ? Self.files(under: folder.appendingPathComponent("output/loras")) : []
        return installed.filter { !uninstalled.contains($0) } + trained.filter { $0.hasSuffix(".safetensors") }
    }

    /// The files directly in the input folder, as LoadImage lists them (not those in subfolders).
    private func inputFiles() -> [String] {
        let input = folder.appendingPathComponent("input")
        return ((try? FileManager.default.contentsOfDirectory(atPath: input.path)) ?? []).filter { name in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: input.appendingPathComponent(name).path, isDirectory: &isFolder) && !isFolder.boolValue
        }.sorted()
    }

    /// Every subfolder of the input folder, as relative paths (`folder_paths.get_input_subfolders`).
    private func inputSubfolders() -> [String] {
        let input = folder.appendingPathComponent("input")
        guard let walker = FileManager.default.enumerator(at: input, includingPropertiesForKeys: [.isDirectoryKey]) else { return [] }
        return walker.compactMap { item -> String? in
            guard let url = item as? URL, (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true else { return nil }
            return String(url.standardizedFileURL.path.dropFirst(input.standardizedFileURL.path.count + 1))
        }.sorted()
    }

    /// The files under `root`, as paths relative to it, sorted.
    static func files(under root: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        return walker.compactMap { item -> String? in
            guard let url = item as? URL, (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { return nil }
            return String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
        }.sorted()
    }

    /// Every POST /prompt takes a number, accepted or not.
    func nextNumber() -> Int {
        defer { counter += 1 }
        return counter
    }

    func enqueue(_ prompt: QueuedPrompt) {
        pending.append(prompt)
        broadcastStatus()
        wakeWorker()
    }

    func activePrompts() -> [String] { (running.map { [$0.id] } ?? []) + pending.map(\.id) }

    /// The node the running prompt is executing, with its class, once one has started.
    func runningNode() -> (id: String, type: String)? {
        guard let running, let currentNode, let type = running.graph[currentNode]?.object?["class_type"]?.string else { return nil }
        return (currentNode, type)
    }

    func queueBody() -> JSONValue {
        let hostile = isHostile
        func item(_ prompt: QueuedPrompt) -> JSONValue {
            .array([hostile ? .number(1e300) : .integer(Int64(prompt.number)), .string(prompt.id), .object(prompt.graph),
                    .object(["client_id": hostile ? .string("evil" + ComfyUITestServer.terminalEscape)
                                                  : prompt.clientID.map(JSONValue.string) ?? .null]),
                    .array(currentObjectInfo().outputNodes(in: prompt.graph).map(JSONValue.string))])
        }
        return .object(["queue_running": .array(running.map { [item($0)] } ?? []), "queue_pending": .array(pending.map(item))])
    }

    func delete(_ ids: [String]) { pending.removeAll { ids.contains($0.id) } }
    func clearPending() { pending.removeAll() }

    /// Interrupts `id` if it runs, or whatever runs when `id` is nil.
    func interrupt(_ id: String?) {
        if let running, id == nil || id == running.id { interruptFlag.set() }
    }

    func historyEntry(_ id: String) -> JSONValue? { history[id] }

    // MARK: - WebSockets

    /// Registers a socket for `clientID` (replacing an older one) and returns what to send it.
    /// Sockets opened per client id, for tests of reconnection.
    private(set) var connectionCount: [String: Int] = [:]
    /// Requests answered, by `"METHOD /path"`.
    private(set) var requestCounts: [String: Int] = [:]

    func count(_ endpoint: String) { requestCounts[endpoint, default: 0] += 1 }

    ///
    /// As ComfyUI does: the old socket of the same client id gets nothing more (it is not
    /// closed), and a prompt of this client that is running has its current node re-sent.
    func attach(clientID: String) -> (UUID, AsyncStream<Frame>) {
        let id = UUID()
        connectionCount[clientID, default: 0] += 1
        let (stream, continuation) = AsyncStream<Frame>.makeStream()
        sockets[clientID] = (id, continuation, false)
        continuation.yield(.text(Self.text("status", ["status": .object(["exec_info": .object(["queue_remaining": .integer(Int64(activePrompts().count))])]),
                                                      "sid": .string(clientID)])))
        if let running, running.clientID == clientID, let currentNode {
            continuation.yield(.text(Self.text("executing", ["node": .string(currentNode), "display_node": .string(currentNode),
                                                             "prompt_id": .string(running.id)])))
        }
        return (id, stream)
    }

    /// The client's first message asked for previews with metadata (layout 4).
    func negotiateFeatures(clientID: String, id: UUID, message: String) {
        guard sockets[clientID]?.id == id, message.contains("\"supports_preview_metadata\":true") || message.contains("\"supports_preview_metadata\": true") else { return }
        sockets[clientID]?.metadata = true
        sockets[clientID]?.frames.yield(.text(Self.text("feature_flags", ["supports_preview_metadata": .bool(true), "max_upload_size": .integer(104_857_600)])))
    }

    /// A socket closed. Like ComfyUI, this forgets the client id whichever of its sockets closed:
    /// a client that reconnects before its old socket has closed hears nothing on the new one
    /// (a pitfall captured in `Tests/Fixtures/comfyui`), so the client must let the old one close first.
    func detach(clientID: String) {
        sockets[clientID] = nil
    }

    /// Sends a message to one client's socket (events of its own prompts).
    func send(_ type: String, _ data: [String: JSONValue], to clientID: String?) {
        guard let clientID, let socket = sockets[clientID] else { return }
        socket.frames.yield(.text(Self.text(type, data)))
    }

    /// A sampler preview for one client, in the layout it negotiated, around its `progress`.
    private func sendProgress(_ node: String, _ value: Int, _ max: Int, _ prompt: QueuedPrompt) {
        guard let clientID = prompt.clientID, let socket = sockets[clientID] else { return }
        let hostile = isHostile
        let progress = Frame.text(Self.text("progress", ["value": .integer(hostile ? Int64(value) * 1_000_000 : Int64(value)),
                                                         "max": .integer(hostile ? -Int64(max) : Int64(max)),
                                                         "prompt_id": .string(prompt.id), "node": .string(node)]))
        if socket.metadata {
            let metadata = Data(#"{"node_id": "\#(node)", "prompt_id": "\#(prompt.id)", "display_node_id": "\#(node)", "parent_node_id": null, "real_node_id": "\#(node)", "image_type": "image/jpeg"}"#.utf8)
            socket.frames.yield(.binary(Self.u32(4) + Self.u32(UInt32(metadata.count)) + metadata + previewJPEG))
            socket.frames.yield(progress)
        } else {
            socket.frames.yield(progress)
            socket.frames.yield(.binary(Self.u32(1) + Self.u32(1) + previewJPEG))
        }
    }

    private static func u32(_ value: UInt32) -> Data { withUnsafeBytes(of: value.bigEndian) { Data($0) } }

    /// Sends a message to every socket (`status`, `execution_interrupted`).
    func broadcast(_ type: String, _ data: [String: JSONValue]) {
        for socket in sockets.values { socket.frames.yield(.text(Self.text(type, data))) }
    }

    /// Closes one client's socket (the drop-the-socket behaviour).
    func dropSocket(of clientID: String?) {
        guard let clientID else { return }
        sockets[clientID]?.frames.finish()
        sockets[clientID] = nil
    }

    private func broadcastStatus() {
        broadcast("status", ["status": .object(["exec_info": .object(["queue_remaining": .integer(Int64(activePrompts().count))])])])
    }

    private static func text(_ type: String, _ data: [String: JSONValue]) -> String {
        String(decoding: (try? JSONEncoder().encode(JSONValue.object(["type": .string(type), "data": .object(data)]))) ?? Data(), as: UTF8.self)
    }

    // MARK: - The worker

    func startWorker() {
        worker = Task(executorPreference: globalConcurrentExecutor) { [weak self] in  // not on the test's threads
            while !Task.isCancelled {
                guard let self else { return }
                if await !self.runNext() { await self.waitForWork() }
            }
        }
    }

    func stopWorker() {
        worker?.cancel()
        wakeWorker()
    }

    /// The idle worker, parked until there may be something to run: a prompt queued, the
    /// behaviour changed, the server stopping. Idle servers then cost nothing (a test run starts
    /// dozens of them).
    private var idleWorker: CheckedContinuation<Void, Never>?

    private var canRunNext: Bool {
        behaviour != .stall && behaviour != .hostile(stall: true) && running == nil && !pending.isEmpty
    }

    private func waitForWork() async {
        guard !canRunNext, worker?.isCancelled != true else { return }
        await withCheckedContinuation { idleWorker = $0 }
    }

    private func wakeWorker() {
        idleWorker?.resume()
        idleWorker = nil
    }

    /// Runs the next pending prompt, if any and if not stalled. Returns whether it ran one.
    private func runNext() async -> Bool {
        guard canRunNext else { return false }
        let prompt = pending.removeFirst()
        running = prompt
        currentNode = nil
        interruptFlag.reset()
        let started = Self.milliseconds()
        var messages: [JSONValue] = [Self.message("execution_start", prompt.id, started)]
        send("execution_start", ["prompt_id": .string(prompt.id), "timestamp": .integer(started)], to: prompt.clientID)
        while behaviour == .hold, !interruptFlag.isSet, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(5))
        }
        if behaviour == .dropSocket {
            // Network trouble mid-run: the socket goes, and the run stalls until the client is
            // back (30 s at most), so that what follows shows on the reopened socket however
            // loaded the machine is.
            let client = prompt.clientID ?? ""
            let before = connectionCount[client] ?? 0
            dropSocket(of: prompt.clientID)
            for _ in 0..<3_000 where (connectionCount[client] ?? 0) <= before {
                try? await Task.sleep(for: .milliseconds(10))
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        let key = (try? Self.canonical(prompt.graph)) ?? Data()
        var outputs: [String: [OutputImage]] = [:]
        var status = "success"
        if let cached = cache[key] {
            outputs = cached
            send("execution_cached", ["nodes": .array(prompt.graph.keys.sorted().map(JSONValue.string)), "prompt_id": .string(prompt.id),
                                      "timestamp": .integer(Self.milliseconds())], to: prompt.clientID)
            for (node, images) in cached.sorted(by: { $0.key < $1.key }) { sendExecuted(node, images, prompt) }
            messages.append(Self.message("execution_cached", prompt.id, Self.milliseconds(), ["nodes": .array(prompt.graph.keys.sorted().map(JSONValue.string))]))
            messages.append(Self.message("execution_success", prompt.id, Self.milliseconds()))
        } else {
            messages.append(Self.message("execution_cached", prompt.id, Self.milliseconds(), ["nodes": .array([])]))
            let outputNodes = objectInfo.outputNodes(in: prompt.graph)
            // Off the actor (so interrupts and history requests are answered meanwhile) and off
            // Swift's cooperative threads: on the test servers' own worker pool.
            let (graph, inputs, outputsFolder, counters, flag, held) = (prompt.graph, folder.appendingPathComponent("input"), folder, fileCounters,
                                                                       interruptFlag, holdFlag)
            send("execution_cached", ["nodes": .array([]), "prompt_id": .string(prompt.id), "timestamp": .integer(Self.milliseconds())],
                 to: prompt.clientID)
            let (events, eventSink) = AsyncStream<GraphRunner.Event>.makeStream()
            let forwarder = Task { for await event in events { self.forward(event, prompt) } }
            let outcome: Result<([String: [OutputImage]], [String: Int]), any Error>
            let failing = graph.first { ["KSampler", "TrainLoraNode"].contains($0.value.object?["class_type"]?.string) } ?? graph.min { $0.key < $1.key }
            if behaviour == .failExecution, let (node, definition) = failing {
                outcome = .failure(GraphRunner.Failure(node: node, nodeType: definition.object?["class_type"]?.string ?? "",
                                                       exceptionType: "torch.OutOfMemoryError",
                                                       message: "CUDA out of memory. Tried to allocate 2.00 GiB"))
            } else { do {
                outcome = .success(try await Self.graphWorkers.run {
                    var runner = GraphRunner(graph: graph, inputs: inputs, outputs: outputsFolder, counters: counters,
                                             isInterrupted: { flag.isSet }, isHeld: { held.isSet }, onEvent: { eventSink.yield($0) })
                    try runner.run(outputNodes: outputNodes)
                    return (runner.saved, runner.nextCounters)
                })
            } catch { outcome = .failure(error) } }
            eventSink.finish()
            await forwarder.value
            switch outcome {
            case .success(let (saved, counters)):
                outputs = saved
                fileCounters = counters
                cache[key] = outputs
                messages.append(Self.message("execution_success", prompt.id, Self.milliseconds()))
            case .failure(let failure as GraphRunner.Failure):
                status = "error"
                messages.append(Self.message("execution_error", prompt.id, Self.milliseconds(), [
                    "node_id": .string(failure.node), "node_type": .string(failure.nodeType), "executed": .array([]),
                    "exception_message": .string(failure.message + "\n"), "exception_type": .string(failure.exceptionType),
                    "traceback": .array([.string("Traceback (most recent call last):\n")]),
                    "current_inputs": .object([:]), "current_outputs": .object([:]),
                ]))
            case .failure(let interrupted as GraphRunner.Interrupted):
                status = "error"
                messages.append(Self.message("execution_interrupted", prompt.id, Self.milliseconds(), [
                    "node_id": .string(interrupted.node), "node_type": .string(interrupted.nodeType),
                    "executed": .array(interrupted.executed.map(JSONValue.string)),
                ]))
            case .failure:
                status = "error"
                messages.append(Self.message("execution_interrupted", prompt.id, Self.milliseconds(), [
                    "node_id": .null, "node_type": .null, "executed": .array([]),
                ]))
            }
        }
        if isHostile, status == "success" {
            (outputs, messages) = Self.hostile(outputs, messages)
        }
        history[prompt.id] = .object([
            "prompt": .array([.integer(Int64(prompt.number)), .string(prompt.id), .object(prompt.graph), .object([:]), .array([])]),
            "outputs": .object(outputs.mapValues { .object(["images": .array($0.map { image in
                .object(["filename": .string(image.filename), "subfolder": .string(image.subfolder), "type": .string(image.type)]) })]) }),
            "status": .object(["status_str": .string(status), "completed": .bool(status == "success"), "messages": .array(messages)]),
            "meta": .object([:]),
        ])
        running = nil
        currentNode = nil
        for message in messages.dropFirst() {
            guard let pair = message.array, let event = pair.first?.string, let data = pair.last?.object, event != "execution_cached" else { continue }
            if event == "execution_interrupted" { broadcast(event, data) } else { send(event, data, to: prompt.clientID) }
        }
        broadcastStatus()
        send("executing", ["node": .null, "prompt_id": .string(prompt.id)], to: prompt.clientID)
        return true
    }

    private func forward(_ event: GraphRunner.Event, _ prompt: QueuedPrompt) {
        switch event {
        case .executing(let node):
            currentNode = node
            send("executing", ["node": .string(node), "display_node": .string(node), "prompt_id": .string(prompt.id)], to: prompt.clientID)
        case .progress(let node, let value, let max):
            sendProgress(node, value, max, prompt)
        case .executed(let node, let images):
            sendExecuted(node, images, prompt)
        }
    }

    private func sendExecuted(_ node: String, _ images: [OutputImage], _ prompt: QueuedPrompt) {
        let list = images.map { JSONValue.object(["filename": .string($0.filename), "subfolder": .string($0.subfolder), "type": .string($0.type)]) }
        send("executed", ["node": .string(node), "display_node": .string(node), "output": .object(["images": .array(list)]),
                          "prompt_id": .string(prompt.id)], to: prompt.clientID)
    }

    /// What a hostile server records instead: every image listed under names that climb out of
    /// a folder, carry escapes and collide across subfolders (``Routes/view`` serves the first
    /// image for any of them), and timestamps whose difference overflows.
    private static func hostile(_ outputs: [String: [OutputImage]], _ messages: [JSONValue])
        -> ([String: [OutputImage]], [JSONValue]) {
        let names = ["../../escape" + ComfyUITestServer.terminalEscape + ".png", "same.png", "same.png", "/etc/passwd"]
        let outputs = outputs.mapValues { images in
            images.isEmpty ? images : names.enumerated().map { index, name in
                OutputImage(filename: name, subfolder: index == 2 ? "b" : "a", type: "output")
            }
        }
        let messages = messages.map { message -> JSONValue in
            guard let pair = message.array, let event = pair.first?.string, var data = pair.last?.object else { return message }
            if event == "execution_start" { data["timestamp"] = .integer(Int64.min + 1) }
            if event == "execution_success" { data["timestamp"] = .integer(Int64.max) }
            return .array([.string(event), .object(data)])
        }
        return (outputs, messages)
    }

    /// The images a hostile server serves for any name: the first one it saved.
    func anyOutputFile() -> URL? {
        let root = folder.appendingPathComponent("output")
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return nil }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".png") }.sorted().first.map { root.appendingPathComponent($0) }
    }

    private static func message(_ event: String, _ id: String, _ timestamp: Int64, _ extra: [String: JSONValue] = [:]) -> JSONValue {
        .array([.string(event), .object(["prompt_id": .string(id), "timestamp": .integer(timestamp)].merging(extra) { $1 })])
    }

    private static func milliseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    private static func canonical(_ graph: [String: JSONValue]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try encoder.encode(graph)
    }
}

/// A flag the worker's graph runner polls between nodes and sampler steps.
final class InterruptFlag: @unchecked Sendable {
    // @unchecked: `value` is only touched under `lock`.
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    func reset() { lock.withLock { value = false } }
    var isSet: Bool { lock.withLock { value } }
}
