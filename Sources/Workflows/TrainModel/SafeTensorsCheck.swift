import ComfyUIModel
import Foundation

/// Checks that bytes are a safetensors file before they are stored as a model: an 8-byte
/// little-endian header length, a JSON header that fits in the file, and tensors whose data
/// lies within the file. A server that saved something else (or was cut off) is caught here,
/// not when a prompt loads the LoRA.
enum SafeTensorsCheck {
    /// Largest header accepted (the format's own readers stop at 100 MB).
    static let maximumHeaderBytes = 100_000_000

    /// What is wrong with `data` as a safetensors file, or `nil` when nothing is.
    static func problem(in data: Data) -> String? {
        guard data.count >= 8 else { return "it has \(data.count) bytes, fewer than a header needs" }
        let length = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard length >= 2, length <= UInt64(min(maximumHeaderBytes, data.count - 8)) else {
            return "its header claims \(length) bytes in a file of \(data.count)"
        }
        let bodyBytes = data.count - 8 - Int(length)
        let start = data.startIndex + 8
        guard let header = try? JSONDecoder().decode([String: JSONValue].self, from: data[start..<(start + Int(length))]) else {
            return "its header is not a JSON object"
        }
        let tensors = header.filter { $0.key != "__metadata__" }
        guard !tensors.isEmpty else { return "it holds no tensor" }
        for (name, tensor) in tensors.sorted(by: { $0.key < $1.key }) {
            guard let fields = tensor.object, fields["dtype"]?.string != nil, fields["shape"]?.array != nil,
                  let offsets = fields["data_offsets"]?.array, offsets.count == 2,
                  let from = offsets[0].int64, let to = offsets[1].int64, from >= 0, from <= to, to <= Int64(bodyBytes) else {
                return "tensor '\(name)' has no dtype, shape and data within the file"
            }
        }
        return nil
    }
}
