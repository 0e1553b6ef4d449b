import ComfyUI
import Foundation
import Vips

/// Everything the test server remembers: the queue, history, uploads and outputs.
actor ServerState {
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
    private var counter = 0
    private var pending: [QueuedPrompt] = []
    private var running: QueuedPrompt?
    private var history: [String: JSONValue] = [:]
    private var cache: [Data: [String: [OutputImage]]] = [:]
    private var fileCounters: [String: Int] = [:]
    private let interruptFlag = InterruptFlag()
    private var worker: Task<Void, Never>?

    init(folder: URL, objectInfo: ObjectInfo, objectInfoBytes: Data) {
        self.folder = folder
        self.objectInfo = objectInfo
        self.objectInfoBytes = objectInfoBytes
        try? FileManager.default.createDirectory(at: folder.appendingPathComponent("input"), withIntermediateDirectories: true)
    }

    /// The captured full `/object_info`, with the tiny checkpoint and LoRA of the bot samples installed.
    static func capturedObjectInfo() throws -> (decoded: ObjectInfo, bytes: Data) {
        var merged = try JSONSerialization.jsonObject(with: ComfyUISamples.fullObjectInfo()) as? [String: Any] ?? [:]
        for sample in ["get_object_info_CheckpointLoaderSimple_tiny.json", "get_object_info_LoraLoader_tiny.json"] {
            let body = (try ComfyUISamples.json(sample)["response"] as? [String: Any])?["body"] as? [String: Any] ?? [:]
            merged.merge(body) { $1 }
        }
        let bytes = try JSONSerialization.data(withJSONObject: merged)
        return (try JSONDecoder().decode(ObjectInfo.self, from: bytes), bytes)
    }

    func setBehaviour(_ behaviour: ComfyUITestServer.Behaviour) { self.behaviour = behaviour }

    /// The object info as the real server computes it per request: LoadImage offers the files
    /// now in the input folder.
    func currentObjectInfo() -> ObjectInfo {
        var info = objectInfo
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("input").path)) ?? []).sorted()
        info.classes["LoadImage"]?.required["image"] = InputSpec(kind: .combo(files))
        return info
    }

    /// Every POST /prompt takes a number, accepted or not.
    func nextNumber() -> Int {
        defer { counter += 1 }
        return counter
    }

    func enqueue(_ prompt: QueuedPrompt) { pending.append(prompt) }

    func activePrompts() -> [String] { (running.map { [$0.id] } ?? []) + pending.map(\.id) }

    func queueBody() -> JSONValue {
        func item(_ prompt: QueuedPrompt) -> JSONValue {
            .array([.integer(Int64(prompt.number)), .string(prompt.id), .object(prompt.graph),
                    .object(["client_id": prompt.clientID.map(JSONValue.string) ?? .null]), .array([])])
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

    // MARK: - The worker

    func startWorker() {
        worker = Task { [weak self] in
            while !Task.isCancelled {
                guard let self else { return }
                if await !self.runNext() { try? await Task.sleep(for: .milliseconds(2)) }
            }
        }
    }

    func stopWorker() { worker?.cancel() }

    /// Runs the next pending prompt, if any and if not stalled. Returns whether it ran one.
    private func runNext() async -> Bool {
        guard behaviour != .stall, running == nil, !pending.isEmpty else { return false }
        let prompt = pending.removeFirst()
        running = prompt
        interruptFlag.reset()
        let started = Self.milliseconds()
        var messages: [JSONValue] = [Self.message("execution_start", prompt.id, started)]
        let key = (try? Self.canonical(prompt.graph)) ?? Data()
        var outputs: [String: [OutputImage]] = [:]
        var status = "success"
        if let cached = cache[key] {
            outputs = cached
            messages.append(Self.message("execution_cached", prompt.id, Self.milliseconds(), ["nodes": .array(prompt.graph.keys.sorted().map(JSONValue.string))]))
            messages.append(Self.message("execution_success", prompt.id, Self.milliseconds()))
        } else {
            messages.append(Self.message("execution_cached", prompt.id, Self.milliseconds(), ["nodes": .array([])]))
            let outputNodes = prompt.graph.compactMap { id, node in
                node.object?["class_type"]?.string.flatMap { objectInfo.classes[$0]?.isOutputNode == true ? id : nil }
            }
            // Off the actor (so interrupts and history requests are answered meanwhile) and off
            // Swift's cooperative threads: on the Vips worker pool.
            let (graph, inputs, outputsFolder, counters, flag) = (prompt.graph, folder.appendingPathComponent("input"), folder, fileCounters, interruptFlag)
            let outcome: Result<([String: [OutputImage]], [String: Int]), any Error>
            do {
                outcome = .success(try await ImageWorkerPool.shared.run {
                    var runner = GraphRunner(graph: graph, inputs: inputs, outputs: outputsFolder, counters: counters,
                                             isInterrupted: { flag.isSet })
                    try runner.run(outputNodes: outputNodes)
                    return (runner.saved, runner.nextCounters)
                })
            } catch { outcome = .failure(error) }
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
            case .failure:
                status = "error"
                messages.append(Self.message("execution_interrupted", prompt.id, Self.milliseconds(), [
                    "node_id": .null, "node_type": .null, "executed": .array([]),
                ]))
            }
        }
        history[prompt.id] = .object([
            "prompt": .array([.integer(Int64(prompt.number)), .string(prompt.id), .object(prompt.graph), .object([:]), .array([])]),
            "outputs": .object(outputs.mapValues { .object(["images": .array($0.map { image in
                .object(["filename": .string(image.filename), "subfolder": .string(image.subfolder), "type": .string(image.type)]) })]) }),
            "status": .object(["status_str": .string(status), "completed": .bool(status == "success"), "messages": .array(messages)]),
            "meta": .object([:]),
        ])
        running = nil
        return true
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
