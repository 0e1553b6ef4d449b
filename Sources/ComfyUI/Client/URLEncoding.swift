/// Percent-encoding for what goes into a URL from outside: prompt ids, folder and file names.
/// Only RFC 3986's unreserved characters stay as they are, so `/`, `..`, `?`, `#`, `&` and `+`
/// can never change which endpoint is reached or which parameter is read.
enum URLEncoding {
    /// One path segment or query value (`.` and `..` encoded too, so no segment walks up).
    static func component(_ text: String) -> String {
        let dotsOnly = !text.isEmpty && text.allSatisfy { $0 == "." }
        var encoded = ""
        for byte in text.utf8 {
            if isUnreserved(byte), !dotsOnly {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return encoded
    }

    /// `name=value&…`, names in order, every value encoded.
    static func query(_ items: KeyValuePairs<String, String>) -> String {
        items.map { "\(component($0.key))=\(component($0.value))" }.joined(separator: "&")
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
