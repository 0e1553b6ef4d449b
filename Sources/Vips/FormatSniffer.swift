/// The format of encoded image bytes, told from their first bytes ("magic numbers") by us,
/// before libvips sees them.
///
/// libvips' own probe asks every loader, the blocked untrusted ones included, to sniff the bytes,
/// and in 8.14 the SVG sniffer never returns on a malformed gzip member followed by more bytes:
/// a thread stuck in C that nothing can cancel. So untrusted input is told apart here and then
/// opened with that format's loader by name; anything not recognised is `unsupported_format` at
/// once. Careful image proxies (imgproxy) do the same.
enum FormatSniffer {
    /// What the first bytes say.
    enum Verdict: Equatable {
        /// A format a trusted loader reads, and the nickname of its source loader.
        case readable(ImageFormat, loader: String)
        /// A format only an untrusted (blocked) loader reads, by its usual name.
        case untrusted(String)
        /// No format this build reads.
        case unknown
    }

    /// How many leading bytes ``verdict(_:)`` looks at.
    static let headerLength = 64

    static func verdict(_ bytes: some Collection<UInt8>) -> Verdict {
        let b = Array(bytes.prefix(headerLength))
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            b.count >= offset + prefix.count && Array(b[offset..<(offset + prefix.count)]) == prefix
        }
        func ascii(_ text: String, at offset: Int = 0) -> Bool { starts(Array(text.utf8), at: offset) }

        if starts([0xFF, 0xD8, 0xFF]) { return .readable(.jpeg, loader: "jpegload_source") }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .readable(.png, loader: "pngload_source") }
        if ascii("GIF87a") || ascii("GIF89a") { return .readable(.gif, loader: "gifload_source") }
        if ascii("RIFF"), ascii("WEBP", at: 8) { return .readable(.webp, loader: "webpload_source") }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A])
            || starts([0x49, 0x49, 0x2B, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2B]) {
            return .readable(.tiff, loader: "tiffload_source")
        }
        if ascii("ftyp", at: 4), b.count >= 12 {
            let brand = String(decoding: b[8..<12], as: UTF8.self)
            if ["avif", "avis"].contains(brand) { return .readable(.avif, loader: "heifload_source") }
            if ["heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs", "mif1", "msf1"].contains(brand) {
                return .readable(.heif, loader: "heifload_source")
            }
            if brand == "jxl " { return .untrusted("JPEG XL") }
        }
        if starts([0xFF, 0x0A]) || starts([0x00, 0x00, 0x00, 0x0C, 0x4A, 0x58, 0x4C, 0x20, 0x0D, 0x0A, 0x87, 0x0A]) {
            return .untrusted("JPEG XL")
        }
        if ascii("%PDF") { return .untrusted("PDF") }
        if b.count >= 2, b[0] == UInt8(ascii: "P"), (UInt8(ascii: "1")...UInt8(ascii: "7")).contains(b[1]) || b[1] == UInt8(ascii: "f") || b[1] == UInt8(ascii: "F") {
            return .untrusted("PPM")
        }
        if isSVG(b) { return .untrusted("SVG") }
        return .unknown
    }

    /// `<svg` or `<?xml` after optional white space and a byte-order mark (not gzip: an `.svgz`
    /// is unknown, which is how the 8.14 probe's endless loop is never reached).
    private static func isSVG(_ b: [UInt8]) -> Bool {
        var rest = b[...]
        if rest.starts(with: [0xEF, 0xBB, 0xBF]) { rest = rest.dropFirst(3) }
        rest = rest.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        return rest.starts(with: Array("<svg".utf8)) || rest.starts(with: Array("<?xml".utf8))
    }
}
