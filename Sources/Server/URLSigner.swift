import Crypto
public import Foundation

/// Signs and checks on-the-fly image paths, the imgproxy way: the signature is the HMAC-SHA256 of
/// `<plan>/<source>` (exactly as it stands in the URL) under the server's key, in unpadded
/// base64url, so that nobody can make the server do work it did not sign.
public struct URLSigner: Sendable {
    private let key: SymmetricKey

    /// A signer with `key` (32 bytes or more, from the server's configuration).
    public init(key: Data) {
        self.key = SymmetricKey(data: key)
    }

    /// A new random key.
    public static func newKey() -> Data { SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) } }

    /// The signature of `path` (`<plan>/<source>`).
    public func signature(of path: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(path.utf8), using: key)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Whether `signature` is `path`'s, compared in time that does not depend on where it differs.
    public func isValid(_ signature: String, for path: String) -> Bool {
        APIKeys.equal(signature, self.signature(of: path))
    }

    /// The path to request: `/v1/img/<signature>/<plan>/<source>`, the source a media id or
    /// `url:` and a percent-encoded URL.
    public func path(plan: String, source: String) -> String {
        let signed = "\(plan)/\(Self.encodedSource(source))"
        return "/v1/img/\(signature(of: signed))/\(signed)"
    }

    /// A media id as it is; a URL as `url:` and its percent-encoding (one path segment).
    public static func encodedSource(_ source: String) -> String {
        guard source.contains("://") else { return source }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return "url:" + (source.addingPercentEncoding(withAllowedCharacters: allowed) ?? source)
    }
}
