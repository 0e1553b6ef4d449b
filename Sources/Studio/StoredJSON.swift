#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How the stores keep a record as JSON text (jobs, datasets, collections, templates): keys
/// sorted, so that equal records are equal text, whichever engine holds them.
public enum StoredJSON {
    public static func encode(_ record: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(record), as: UTF8.self)
    }

    public static func decode<Record: Decodable>(_ type: Record.Type, from json: String) throws -> Record {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }
}
