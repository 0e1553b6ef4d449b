public import ComfyUIModel

/// The graphs the client's scenarios run, in API format.
public enum Graphs {
    /// EmptyImage → ImageScale → SaveImage (`capture/w1` in the captured samples).
    public static func scaled(colour: Int = 0x3366CC, prefix: String = "capture/w1") -> [String: JSONValue] {
        [
            "1": ["class_type": "EmptyImage", "inputs": ["width": 64, "height": 48, "batch_size": 1, "color": .integer(Int64(colour))]],
            "2": ["class_type": "ImageScale", "inputs": ["image": ["1", 0], "upscale_method": "bilinear", "width": 32, "height": 24, "crop": "disabled"]],
            "3": ["class_type": "SaveImage", "inputs": ["images": ["2", 0], "filename_prefix": .string(prefix)]],
        ]
    }

    /// EmptyImage (64×48) → SaveImage: the least a run can be.
    public static func empty(colour: Int = 0x3366CC, prefix: String) -> [String: JSONValue] {
        [
            "1": ["class_type": "EmptyImage", "inputs": ["width": 64, "height": 48, "batch_size": 1, "color": .integer(Int64(colour))]],
            "2": ["class_type": "SaveImage", "inputs": ["images": ["1", 0], "filename_prefix": .string(prefix)]],
        ]
    }

    /// LoadImage → ImageInvert → SaveImage.
    public static func inverted(_ uploaded: String, prefix: String) -> [String: JSONValue] {
        [
            "1": ["class_type": "LoadImage", "inputs": ["image": .string(uploaded)]],
            "2": ["class_type": "ImageInvert", "inputs": ["image": ["1", 0]]],
            "3": ["class_type": "SaveImage", "inputs": ["images": ["2", 0], "filename_prefix": .string(prefix)]],
        ]
    }

    /// LoadImage → SaveImage.
    public static func loaded(_ uploaded: String, prefix: String) -> [String: JSONValue] {
        [
            "10": ["class_type": "LoadImage", "inputs": ["image": .string(uploaded)]],
            "11": ["class_type": "SaveImage", "inputs": ["images": ["10", 0], "filename_prefix": .string(prefix)]],
        ]
    }

    /// EmptyImage, a chain of `blurs` ImageBlur nodes (ids 2…), ImageScale down to 32 px and
    /// SaveImage: a run that takes a while on any server. A real server blurs `side`² pixels at
    /// the largest radius (about 5 s per node for 1536² on a CPU); the test server sleeps per node.
    public static func slow(blurs: Int, side: Int, colour: Int, prefix: String) -> [String: JSONValue] {
        precondition((1...98).contains(blurs), "blur ids must stay below the scale (100) and save (101) nodes")
        var graph: [String: JSONValue] = [
            "1": ["class_type": "EmptyImage", "inputs": ["width": .integer(Int64(side)), "height": .integer(Int64(side)), "batch_size": 1, "color": .integer(Int64(colour))]],
        ]
        for index in 2...(blurs + 1) {
            graph["\(index)"] = ["class_type": "ImageBlur", "inputs": ["image": [.string("\(index - 1)"), 0], "blur_radius": 31, "sigma": 5.0]]
        }
        graph["100"] = ["class_type": "ImageScale", "inputs": ["image": [.string("\(blurs + 1)"), 0], "upscale_method": "nearest-exact", "width": 32, "height": 32, "crop": "disabled"]]
        graph["101"] = ["class_type": "SaveImage", "inputs": ["images": ["100", 0], "filename_prefix": .string(prefix)]]
        return graph
    }

    /// The classic text-to-image graph without a LoRA: CheckpointLoaderSimple → CLIPTextEncode ×2 →
    /// EmptyLatentImage → KSampler → VAEDecode → SaveImage.
    public static func textToImage(checkpoint: String, side: Int, steps: Int, seed: Int64, prefix: String) -> [String: JSONValue] {
        [
            "4": ["class_type": "CheckpointLoaderSimple", "inputs": ["ckpt_name": .string(checkpoint)]],
            "6": ["class_type": "CLIPTextEncode", "inputs": ["text": "a lighthouse at dusk", "clip": ["4", 1]]],
            "7": ["class_type": "CLIPTextEncode", "inputs": ["text": "blurry", "clip": ["4", 1]]],
            "5": ["class_type": "EmptyLatentImage", "inputs": ["width": .integer(Int64(side)), "height": .integer(Int64(side)), "batch_size": 1]],
            "3": ["class_type": "KSampler", "inputs": [
                "model": ["4", 0], "positive": ["6", 0], "negative": ["7", 0], "latent_image": ["5", 0],
                "seed": .integer(seed), "steps": .integer(Int64(steps)), "cfg": 7.0, "sampler_name": "euler",
                "scheduler": "normal", "denoise": 1.0]],
            "8": ["class_type": "VAEDecode", "inputs": ["samples": ["3", 0], "vae": ["4", 2]]],
            "9": ["class_type": "SaveImage", "inputs": ["images": ["8", 0], "filename_prefix": .string(prefix)]],
        ]
    }
}
