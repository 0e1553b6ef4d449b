#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A binary WebSocket frame: a big-endian `u32` event type, then its payload.
public enum BinaryFrame: Sendable, Equatable {
    /// Event 1: `[u32 1][u32 image type: 1 JPEG, 2 PNG][bytes]` (previews, SaveImageWebsocket).
    case previewImage(format: ImageFormat, bytes: Data)
    /// Event 4: `[u32 4][u32 json length][json][bytes]`, for clients that negotiated preview metadata.
    case previewImageWithMetadata(node: String?, promptID: String?, format: ImageFormat, bytes: Data)
    /// Event 3: `[u32 3][u32 node id length][node id][utf-8 text]`.
    case text(node: String, text: String)
    /// An event this client does not know.
    case unknown(event: UInt32)

    public enum ImageFormat: String, Sendable, Equatable { case jpeg, png }

    /// Parses a frame; `nil` when it is too short or malformed.
    public init?(_ data: Data) {
        let bytes = [UInt8](data)
        func u32(_ offset: Int) -> UInt32? {
            guard bytes.count >= offset + 4 else { return nil }
            return bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
        }
        guard let event = u32(0) else { return nil }
        switch event {
        case 1:
            guard let type = u32(4), let format: ImageFormat = type == 1 ? .jpeg : type == 2 ? .png : nil else { return nil }
            self = .previewImage(format: format, bytes: Data(bytes[8...]))
        case 3:
            guard let length = u32(4).map(Int.init), bytes.count >= 8 + length else { return nil }
            self = .text(node: String(decoding: bytes[8..<8 + length], as: UTF8.self),
                         text: String(decoding: bytes[(8 + length)...], as: UTF8.self))
        case 4:
            guard let length = u32(4).map(Int.init), bytes.count >= 8 + length,
                  let metadata = try? JSONDecoder().decode([String: JSONValue].self, from: Data(bytes[8..<8 + length])) else { return nil }
            let format: ImageFormat = metadata["image_type"]?.string == "image/jpeg" ? .jpeg : .png
            self = .previewImageWithMetadata(node: metadata["node_id"].flatMap(ServerMessage.optionalNodeID),
                                             promptID: metadata["prompt_id"]?.string, format: format,
                                             bytes: Data(bytes[(8 + length)...]))
        default:
            self = .unknown(event: event)
        }
    }
}
