#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// One stored media item: who owns it, what it is, and where its bytes came from. The bytes
/// themselves live in a content-addressed store under ``digest``; several records may share
/// them (the same upload twice, or one user's image saved by another).
public struct MediaRecord: Sendable, Equatable, Codable, Identifiable {
    /// What a media item is.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A still or animated image.
        case image
        /// A trained model (a LoRA's weights).
        case model
    }

    /// `m_` and 24 lowercase hex digits; see ``MediaRecord/newID()``.
    public var id: String
    public var owner: UserID
    public var kind: Kind
    /// The format sniffed from the bytes (`png`, `jpeg`, …), never from a name or a header.
    public var format: String
    /// Size of the bytes.
    public var byteCount: Int
    /// Pixel size; `nil` for what is not an image.
    public var width: Int?
    public var height: Int?
    /// Lowercase hex SHA-256 of the bytes: their name in the content store.
    public var digest: String
    /// Where it came from: `upload`, `url:<address>`, `comfyui:<template>`, `process:<operation>`.
    public var source: String
    /// The record it was made from, for processed and generated media.
    public var derivedFrom: String?
    public var createdAt: Date

    public init(id: String = MediaRecord.newID(), owner: UserID, kind: Kind, format: String, byteCount: Int,
                width: Int?, height: Int?, digest: String, source: String, derivedFrom: String? = nil, createdAt: Date) {
        self.id = id
        self.owner = owner
        self.kind = kind
        self.format = format
        self.byteCount = byteCount
        self.width = width
        self.height = height
        self.digest = digest
        self.source = source
        self.derivedFrom = derivedFrom
        self.createdAt = createdAt
    }

    /// A fresh random id: `m_` and 24 hex digits (96 random bits).
    public static func newID() -> String {
        let bytes = (0..<12).map { _ in UInt8.random(in: .min ... .max) }
        return "m_" + bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// Whether `id` has the shape of a media id (so a malformed one is refused before any lookup).
    public static func isWellFormedID(_ id: String) -> Bool {
        id.count == 26 && id.hasPrefix("m_") && id.dropFirst(2).allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    enum CodingKeys: String, CodingKey {
        case id, owner, kind, format, width, height, digest, source
        case byteCount = "byte_count", derivedFrom = "derived_from", createdAt = "created_at"
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
