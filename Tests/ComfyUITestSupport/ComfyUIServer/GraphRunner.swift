import ComfyUI
import ComfyUIModel
import Foundation
import Vips

/// Runs a ComfyUI graph the way the test server does: image nodes for real with Vips
/// (EmptyImage, LoadImage, ImageScale, ImageScaleBy, ImageInvert, SaveImage, PreviewImage), model nodes with
/// canned but valid results (a sample image of the latent's size and seed), and the training
/// nodes as ComfyUI's own do their bookkeeping (LoadImageTextSetFromFolderNode reads the images
/// and captions of an input subfolder, TrainLoraNode checks them against each other and counts
/// its steps, SaveLoRANode names and writes a safetensors file) with a canned LoRA.
struct GraphRunner {
    enum Value {
        case images([Image])
        case latent(width: Int, height: Int, batch: Int, seed: UInt64)
        /// One caption per image (LoadImageTextSetFromFolderNode's conditioning).
        case conditioning([String])
        case lora(TrainedLoRA)
        case integer(Int)
        case opaque
    }

    /// A run-time failure, reported as `execution_error`.
    struct Failure: Error {
        var node: String
        var nodeType: String
        var exceptionType: String
        var message: String
    }

    /// The run was interrupted before `node` ran (or between its sampler steps), as
    /// `execution_interrupted` reports it.
    struct Interrupted: Error {
        var node: String
        var nodeType: String
        var executed: [String]
    }

    let graph: [String: JSONValue]
    let inputs: URL
    let outputs: URL
    let isInterrupted: @Sendable () -> Bool
    /// Whether the server is told to hold: a blur in progress then lasts until it is not (a
    /// running node cannot be interrupted, only the next one is not started).
    let isHeld: @Sendable () -> Bool
    /// Live events for the WebSocket: a node starts, a sampler step ends, images are saved.
    let onEvent: @Sendable (Event) -> Void

    enum Event: Sendable {
        case executing(node: String)
        case progress(node: String, value: Int, max: Int)
        case executed(node: String, images: [OutputImage])
    }
    var saved: [String: [OutputImage]] = [:]
    private var memo: [String: [Value]] = [:]
    /// Nodes that ran, in order.
    private var executed: [String] = []
    private var counters: [String: Int]

    init(graph: [String: JSONValue], inputs: URL, outputs: URL, counters: [String: Int],
         isInterrupted: @escaping @Sendable () -> Bool, isHeld: @escaping @Sendable () -> Bool = { false },
         onEvent: @escaping @Sendable (Event) -> Void = { _ in }) {
        self.isHeld = isHeld
        self.onEvent = onEvent
        self.graph = graph
        self.inputs = inputs
        self.outputs = outputs
        self.counters = counters
        self.isInterrupted = isInterrupted
    }

    var nextCounters: [String: Int] { counters }

    /// Evaluates every output node. Throws ``Failure``, or ``Interrupted`` once the interrupt flag is set.
    mutating func run(outputNodes: [String]) throws {
        for node in outputNodes.sorted() { _ = try evaluate(node) }
    }

    private mutating func evaluate(_ id: String) throws -> [Value] {
        if let done = memo[id] { return done }
        guard let node = graph[id]?.object, let type = node["class_type"]?.string else { return [.opaque] }
        let inputs = node["inputs"]?.object ?? [:]
        // Inputs first, as ComfyUI runs a node only once what it needs is ready.
        for value in inputs.values {
            if let link = value.array, let source = link.first?.string, graph[source] != nil { _ = try evaluate(source) }
        }
        // Like ComfyUI: the interrupt flag is checked before each node runs.
        if isInterrupted() { throw Interrupted(node: id, nodeType: type, executed: executed) }
        onEvent(.executing(node: id))
        func linked(_ name: String) throws -> Value {
            guard let link = inputs[name]?.array, let source = link.first?.string else { return .opaque }
            let slot = Int(link.last?.int64 ?? 0)
            let values = try evaluate(source)
            return slot < values.count ? values[slot] : .opaque
        }
        func int(_ name: String) -> Int { Int(inputs[name]?.int64 ?? 0) }
        func images(_ name: String) throws -> [Image] {
            if case .images(let images) = try linked(name) { return images }
            return []
        }
        let result: [Value]
        do {
            switch type {
            case "EmptyImage":
                let colour = int("color")
                let rgb = [UInt8(colour >> 16 & 0xFF), UInt8(colour >> 8 & 0xFF), UInt8(colour & 0xFF)]
                let image = try Image(pixels: (0..<(int("width") * int("height"))).flatMap { _ in rgb },
                                      width: int("width"), height: int("height"), bands: 3)
                result = [.images(Array(repeating: image, count: max(1, int("batch_size"))))]
            case "LoadImage":
                let name = inputs["image"]?.string ?? ""
                let path = self.inputs.appendingPathComponent(name).path
                do {
                    // ComfyUI converts to RGB: an alpha band is dropped, not flattened.
                    let image = try Image(contentsOfFile: path).removingAlpha().materialized()
                    result = [.images([image]), .opaque]
                } catch {
                    throw Failure(node: id, nodeType: type, exceptionType: "PIL.UnidentifiedImageError",
                                  message: "cannot identify image file '\(path)'")
                }
            case "ImageScale":
                result = [.images(try images("image").map { try $0.resize(width: int("width"), height: int("height"), kernel: .linear) })]
            case "ImageScaleBy":
                let method = inputs["upscale_method"]?.string ?? "nearest-exact", scale = inputs["scale_by"]?.number ?? 1
                do {
                    result = [.images(try images("image").map { try ComfyUIScaling.scaled($0, by: scale, method: method) })]
                } catch let unsupported as ComfyUIScaling.UnsupportedMethod {
                    throw Failure(node: id, nodeType: type, exceptionType: "NotImplementedError",
                                  message: "the test server does not implement upscale_method '\(unsupported.method)'")
                }
            case "ImageInvert":
                result = [.images(try images("image").map(Self.invertedAsComfyUIDoes))]
            case "ImageBlur":
                Thread.sleep(forTimeInterval: 0.3)
                for _ in 0..<6_000 where isHeld() { Thread.sleep(forTimeInterval: 0.005) }
                result = [.images(try images("image"))]
            case "EmptyLatentImage":
                result = [.latent(width: int("width"), height: int("height"), batch: max(1, int("batch_size")), seed: 0)]
            case "KSampler":
                guard case .latent(let width, let height, let batch, _) = try linked("latent_image") else { result = [.opaque]; break }
                let steps = max(1, int("steps"))
                for step in 1...steps {
                    if isInterrupted() { throw Interrupted(node: id, nodeType: type, executed: executed) }
                    Thread.sleep(forTimeInterval: 0.002)
                    onEvent(.progress(node: id, value: step, max: steps))
                }
                result = [.latent(width: width, height: height, batch: batch, seed: inputs["seed"]?.uint64 ?? 0)]
            case "VAEDecode":
                guard case .latent(let width, let height, let batch, let seed) = try linked("samples") else { result = [.opaque]; break }
                result = [.images(try (0..<batch).map { try Image.sample(width: max(2, width), height: max(2, height), seed: Int(truncatingIfNeeded: seed) &+ $0) })]
            case "VAEEncode":
                let encoded = try images("pixels")
                result = [.latent(width: encoded.first?.width ?? 0, height: encoded.first?.height ?? 0, batch: encoded.count, seed: 0)]
            case "LoadImageTextSetFromFolderNode":
                let (loaded, captions) = try loadTrainingSet(inputs, node: id, type: type)
                result = [.images(loaded), .conditioning(captions)]
            case "TrainLoraNode":
                guard case .latent(_, _, let count, _) = try linked("latents"), case .conditioning(var captions) = try linked("positive") else {
                    throw Failure(node: id, nodeType: type, exceptionType: "TypeError", message: "training needs latents and conditioning")
                }
                if captions.count == 1, count > 1 { captions = Array(repeating: captions[0], count: count) }
                guard captions.count == count else {
                    throw Failure(node: id, nodeType: type, exceptionType: "ValueError",
                                  message: "Number of positive conditions (\(captions.count)) does not match number of images (\(count)).")
                }
                let steps = max(1, int("steps"))
                for step in 1...steps {
                    if isInterrupted() { throw Interrupted(node: id, nodeType: type, executed: executed) }
                    Thread.sleep(forTimeInterval: 0.002)
                    onEvent(.progress(node: id, value: step, max: steps))
                }
                let lora = TrainedLoRA(rank: max(1, int("rank")), seed: inputs["seed"]?.uint64 ?? 0, captions: captions, steps: steps)
                result = [.opaque, .lora(lora), .opaque, .integer(steps)]
            case "SaveLoRANode":
                guard case .lora(let lora) = try linked("lora") else {
                    throw Failure(node: id, nodeType: type, exceptionType: "TypeError", message: "'lora' is not a LORA_MODEL")
                }
                var steps: Int?
                if case .integer(let count) = try linked("steps") { steps = count }
                try saveLoRA(lora, prefix: inputs["prefix"]?.string ?? "loras/ComfyUI_trained_lora", steps: steps, node: id, type: type)
                result = []
            case "SaveImage", "PreviewImage":
                let prefix = inputs["filename_prefix"]?.string ?? (type == "SaveImage" ? "ComfyUI" : "ComfyUI_temp")
                let files = try save(try images("images"), prefix: prefix, temporary: type == "PreviewImage")
                saved[id] = files
                onEvent(.executed(node: id, images: files))
                result = []
            default:
                result = [.opaque, .opaque, .opaque]
            }
        } catch let error as VipsError {
            throw Failure(node: id, nodeType: type, exceptionType: "RuntimeError", message: error.message)
        }
        memo[id] = result
        executed.append(id)
        return result
    }

    /// ImageInvert as ComfyUI computes it: pixels as float32 `value / 255`, `1.0 - x`, then
    /// SaveImage's `clip(255 × x).astype(uint8)`, which truncates — so 200 comes back as 54, not
    /// the exact 55. Every step is rounded to float32, as torch and numpy do.
    static func invertedAsComfyUIDoes(_ image: Image) throws -> Image {
        let bytes = try image.pixelData().map { value -> UInt8 in
            let x = Float(value) / Float(255)
            let saved = Float(255) * (Float(1) - x)
            return UInt8(min(max(saved, 0), 255).rounded(.towardZero))
        }
        return try Image(pixels: bytes, width: image.width, height: image.height, bands: image.bands)
    }

    /// LoadImageTextSetFromFolderNode: the images of input subfolder `folder` (PNG, JPEG, WebP),
    /// each with the caption of the `.txt` file of the same name ("" without one), all of the
    /// first image's size (or `width`×`height`) unless `resize_method` says how to make them so.
    private func loadTrainingSet(_ inputs: [String: JSONValue], node: String, type: String) throws -> ([Image], [String]) {
        let folder = self.inputs.appendingPathComponent(inputs["folder"]?.string ?? "")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            throw Failure(node: node, nodeType: type, exceptionType: "FileNotFoundError",
                          message: "[Errno 2] No such file or directory: '\(folder.path)'")
        }
        let imageNames = names.filter { ["png", "jpg", "jpeg", "webp"].contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
        guard !imageNames.isEmpty else {
            throw Failure(node: node, nodeType: type, exceptionType: "ValueError", message: "No valid images found in input")
        }
        let method = inputs["resize_method"]?.string ?? "None"
        var width = inputs["width"]?.int64.flatMap { $0 == -1 ? nil : Int($0) }, height = inputs["height"]?.int64.flatMap { $0 == -1 ? nil : Int($0) }
        var images: [Image] = [], captions: [String] = []
        for name in imageNames {
            var image = try Image(contentsOfFile: folder.appendingPathComponent(name).path).removingAlpha().materialized()
            let (w, h) = (width ?? image.width, height ?? image.height)
            (width, height) = (w, h)
            if image.width != w || image.height != h {
                switch method {
                case "Stretch", "Pad": image = try image.resize(width: w, height: h)
                case "Crop": image = try image.crop(left: 0, top: 0, width: min(w, image.width), height: min(h, image.height))
                default:
                    throw Failure(node: node, nodeType: type, exceptionType: "ValueError", message:
                        "Your input image size does not match the first image in the dataset. Either select a valid resize method or use the same size for all images.")
                }
            }
            images.append(image)
            let caption = folder.appendingPathComponent((name as NSString).deletingPathExtension + ".txt")
            captions.append((try? String(contentsOf: caption, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
        }
        return (images, captions)
    }

    /// SaveLoRANode, named as ComfyUI's `get_save_image_path` names files: `loras/x` → folder
    /// `output/loras`, file `x_00001_.safetensors` (or `x_<steps>_steps_00001_.safetensors`),
    /// the counter one past the highest that files of that prefix already show.
    private func saveLoRA(_ lora: TrainedLoRA, prefix: String, steps: Int?, node: String, type: String) throws {
        let output = outputs.appendingPathComponent("output").standardizedFileURL
        let target = output.appendingPathComponent(prefix).standardizedFileURL
        let folder = target.deletingLastPathComponent(), filename = target.lastPathComponent
        guard folder.path == output.path || folder.path.hasPrefix(output.path + "/") else {
            throw Failure(node: node, nodeType: type, exceptionType: "Exception", message: "**** ERROR: Saving image outside the output folder is not allowed.")
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let counters = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).compactMap { existing -> Int? in
            guard existing.hasPrefix(filename + "_") else { return nil }
            return Int(existing.dropFirst(filename.count + 1).split(separator: "_").first ?? "") ?? 0
        }
        let counter = String(format: "%05d", (counters.max() ?? 0) + 1)
        let name = steps.map { "\(filename)_\($0)_steps_\(counter)_.safetensors" } ?? "\(filename)_\(counter)_.safetensors"
        try lora.file.write(to: folder.appendingPathComponent(name))
    }

    /// `capture/w1` → subfolder `capture`, files `w1_00001_.png`, … (the next free counter).
    private mutating func save(_ images: [Image], prefix: String, temporary: Bool) throws -> [OutputImage] {
        let parts = prefix.split(separator: "/").map(String.init)
        let subfolder = parts.dropLast().joined(separator: "/"), name = parts.last ?? "ComfyUI"
        let folder = outputs.appendingPathComponent(temporary ? "temp" : "output").appendingPathComponent(subfolder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try images.map { image in
            let key = "\(temporary):\(prefix)"
            let counter = (counters[key] ?? 0) + 1
            counters[key] = counter
            let filename = "\(name)_\(String(format: "%05d", counter))_.png"
            try image.save(to: folder.appendingPathComponent(filename).path)
            return OutputImage(filename: filename, subfolder: subfolder, type: temporary ? "temp" : "output")
        }
    }
}
