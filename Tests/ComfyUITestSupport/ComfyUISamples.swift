public import Foundation
import TestSupport

/// The exchanges captured from a real ComfyUI 0.3.64 server (`Tests/Fixtures/comfyui`, a copy
/// of what was captured): requests, responses, WebSocket frames and image bytes.
public enum ComfyUISamples {
    public static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/comfyui/samples")

    /// A sample as parsed JSON.
    public static func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: folder.appendingPathComponent(name))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return object
    }

    /// A part of a sample re-encoded as JSON bytes (e.g. `["request", "body", "prompt"]`).
    public static func data(_ name: String, at path: [String]) throws -> Data {
        var value: Any = try json(name)
        for key in path {
            guard let next = (value as? [String: Any])?[key] else { throw CocoaError(.fileReadCorruptFile) }
            value = next
        }
        return try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed])
    }

    /// The full `/object_info` (decompressed from its .gz with the system's gzip, once).
    public static func fullObjectInfo() throws -> Data { try decompressedObjectInfo.get() }

    private static let decompressedObjectInfo = Result<Data, any Error> {
        let output = try Command("gzip", ["-dc", folder.appendingPathComponent("get_object_info_full.json.gz").path]).runBlocking()
        guard output.status == 0 else { throw CocoaError(.fileReadCorruptFile) }
        return output.stdoutData
    }

    /// Bytes from `samples/bin/`.
    public static func binary(_ name: String) throws -> Data {
        try Data(contentsOf: folder.appendingPathComponent("bin").appendingPathComponent(name))
    }
}
