public import Foundation

/// A `multipart/form-data` body (RFC 7578) with text fields and files, as `/upload/image` takes.
public struct MultipartForm: Sendable {
    public let boundary: String
    private var parts: [Data] = []

    public init(boundary: String) { self.boundary = boundary }

    public func field(_ name: String, _ value: String) -> MultipartForm {
        appending(headers: "Content-Disposition: form-data; name=\"\(name)\"", body: Data(value.utf8))
    }

    public func file(_ name: String, filename: String, contentType: String, data: Data) -> MultipartForm {
        let safe = filename.replacingOccurrences(of: "\"", with: "_")
        return appending(headers: "Content-Disposition: form-data; name=\"\(name)\"; filename=\"\(safe)\"\r\nContent-Type: \(contentType)",
                         body: data)
    }

    public func encoded() -> Data {
        parts.reduce(into: Data()) { $0 += $1 } + Data("--\(boundary)--\r\n".utf8)
    }

    private func appending(headers: String, body: Data) -> MultipartForm {
        var form = self
        form.parts.append(Data("--\(boundary)\r\n\(headers)\r\n\r\n".utf8) + body + Data("\r\n".utf8))
        return form
    }
}
