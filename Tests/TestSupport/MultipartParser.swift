public import Foundation

/// Reads a `multipart/form-data` body into fields and files: what the test servers (ComfyUI's
/// `/upload/image`, the Bot API's uploads) need of it.
public enum MultipartParser {
    public struct Part: Sendable {
        public var name: String
        public var filename: String?
        public var data: Data
    }

    public static func parse(_ body: Data, contentType: String) -> [Part]? {
        guard let range = contentType.range(of: "boundary=") else { return nil }
        let boundary = Data(("--" + contentType[range.upperBound...].trimmingCharacters(in: .init(charactersIn: "\""))).utf8)
        var parts: [Part] = []
        var cursor = body.startIndex
        while let start = body.range(of: boundary, in: cursor..<body.endIndex) {
            var index = start.upperBound
            if body[index...].starts(with: Data("--".utf8)) { break }
            index = body.index(index, offsetBy: 2)  // CRLF
            guard let headerEnd = body.range(of: Data("\r\n\r\n".utf8), in: index..<body.endIndex),
                  let next = body.range(of: boundary, in: headerEnd.upperBound..<body.endIndex) else { return nil }
            let headers = String(decoding: body[index..<headerEnd.lowerBound], as: UTF8.self)
            let content = body[headerEnd.upperBound..<body.index(next.lowerBound, offsetBy: -2)]
            func attribute(_ key: String) -> String? {
                guard let found = headers.range(of: "\(key)=\"") else { return nil }
                let rest = headers[found.upperBound...]
                return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
            }
            if let name = attribute("name") { parts.append(Part(name: name, filename: attribute("filename"), data: Data(content))) }
            cursor = next.lowerBound
        }
        return parts
    }
}
