import Crypto
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// The name of bytes in the content store: their SHA-256 as 64 lowercase hex digits.
public enum ContentDigest {
    /// The digest of `data`.
    public static func of(_ data: Data) -> String { hex(SHA256.hash(data: data)) }

    /// A SHA-256 digest as the store names it (lowercase hex): for digests computed piece by piece.
    static func hex(_ digest: some Sequence<UInt8>) -> String {
        digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Whether `text` has the shape of a digest (so it can be used as a file name safely).
    public static func isWellFormed(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
