import Foundation

/// The LoRA the test server's TrainLoraNode "trains": tensors in the shapes a rank-`rank` LoRA
/// has (a down and an up projection per layer), their values drawn from the training seed and
/// the captions, so that the same run gives the same file and another run another; written as
/// a safetensors file (an 8-byte little-endian header length, the JSON header, the data).
struct TrainedLoRA: Sendable {
    /// Tensors by name: shape and float32 values.
    var tensors: [String: (shape: [Int], values: [Float])]

    /// The layers a tiny model would adapt, each `width` wide.
    static let layers = ["input_blocks.1.1.proj_in", "middle_block.1.proj_out", "output_blocks.3.1.proj_in"]
    static let width = 16

    init(rank: Int, seed: UInt64, captions: [String], steps: Int) {
        var state = seed ^ 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: steps)
        for byte in captions.joined(separator: "\n").utf8 { state = (state ^ UInt64(byte)) &* 0x100_0000_01B3 }
        func next() -> Float {
            // splitmix64, to a value in -0.01 … 0.01.
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return (Float(z >> 40) / Float(1 << 24) - 0.5) / 50
        }
        var tensors: [String: (shape: [Int], values: [Float])] = [:]
        for layer in Self.layers {
            let name = "diffusion_model.\(layer)"
            tensors["\(name).lora_down.weight"] = ([rank, Self.width], (0..<(rank * Self.width)).map { _ in next() })
            tensors["\(name).lora_up.weight"] = ([Self.width, rank], (0..<(rank * Self.width)).map { _ in next() })
        }
        self.tensors = tensors
    }

    /// The safetensors bytes.
    var file: Data {
        var header: [String: Any] = [:], body = Data(), offset = 0
        for name in tensors.keys.sorted() {
            let tensor = tensors[name] ?? ([], [])
            let bytes = tensor.values.reduce(into: Data()) { data, value in
                withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
            }
            header[name] = ["dtype": "F32", "shape": tensor.shape, "data_offsets": [offset, offset + bytes.count]]
            body += bytes
            offset += bytes.count
        }
        var json = (try? JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])) ?? Data("{}".utf8)
        while json.count % 8 != 0 { json.append(UInt8(ascii: " ")) }
        var file = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { file.append(contentsOf: $0) }
        return file + json + body
    }
}
