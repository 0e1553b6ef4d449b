#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// `--json` output: one pretty, key-sorted document on standard output, for success and for
/// failure alike (a failure also prints its line on standard error and sets the exit code).
/// Slashes are written as they are; dates in ISO 8601.
public enum JSONOutput {
    /// What a failed command prints with `--json`.
    public struct ErrorReport: Encodable {
        public struct Body: Encodable {
            public var code: String
            public var exitCode: Int32
            public var message: String
            public var problems: [Failure.Problem]
        }
        public var error: Body
    }

    /// The encoder every `--json` document is written with.
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    public static func print(_ value: some Encodable) {
        guard let data = try? encoder.encode(value) else { return }
        Console.line(String(decoding: data, as: UTF8.self))
    }
}
