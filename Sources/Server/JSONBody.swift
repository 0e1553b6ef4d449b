public import Hummingbird
import Foundation

/// JSON in and out of the API: bounded request bodies decoded with messages that say where
/// they are wrong; responses encoded with sorted keys, ISO 8601 dates and snake_case names.
enum JSONBody {
    /// Largest JSON request body, in bytes.
    static let maximumBytes = 64 * 1024

    static func decode<Value: Decodable>(_ type: Value.Type, from request: Request) async throws -> Value {
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: maximumBytes) } catch {
            throw APIError(.contentTooLarge, "body_too_large", "the request body is larger than \(maximumBytes) bytes")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do { return try decoder.decode(type, from: Data(buffer.readableBytesView)) } catch let error as DecodingError {
            throw APIError(.badRequest, "invalid_json", message(error))
        }
    }

    /// The encoder of every JSON document the API sends (bodies and event data): sorted keys,
    /// ISO 8601 dates, and snake_case names, the case the API takes them in (`negative_prompt`,
    /// `trigger_word`). A dictionary's keys are data and stay as they are (EXIF tag names).
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }

    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = encoder()
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    /// "at settings.steps: expected a number" rather than Foundation's description.
    static func message(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.isEmpty ? "the top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "the body is not valid JSON"
        case .dataCorrupted(let context):
            return "at \(path(context.codingPath)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "at \(path(context.codingPath + [key])): this field is required"
        case .typeMismatch(let type, let context):
            return "at \(path(context.codingPath)): expected \(String(describing: type).lowercased())"
        case .valueNotFound(let type, let context):
            return "at \(path(context.codingPath)): expected \(String(describing: type).lowercased()), received null"
        @unknown default:
            return "the body does not have the expected shape"
        }
    }
}
