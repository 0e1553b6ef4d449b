import Crypto
import Foundation
public import Hummingbird
import Media
import Studio
import Vips

extension DarkroomAPI {
    /// `GET /v1/img/{signature}/{plan}/{source}`: an image made on the fly from a stored media id
    /// or an allowed URL, as the Media transform plan's compact form says, under a signature
    /// (``URLSigner``) instead of a key. `format:auto` picks AVIF, WebP or JPEG from `Accept`
    /// (with `Vary: Accept`); the answer carries an `ETag` (a stored source's is known before
    /// any work, so `If-None-Match` costs nothing) and long-lived `Cache-Control`.
    func addOnTheFlyImages(to router: Router<APIContext>) {
        let deps = dependencies, admission = imageAdmission, metrics = self.metrics
        router.get("/v1/img/**") { request, _ in
            let segments = request.uri.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst(3).map(String.init)
            guard segments.count >= 3 else {
                throw APIError(.notFound, "not_found", "expected /v1/img/<signature>/<plan>/<source>")
            }
            let signature = segments[0], source = segments[segments.count - 1]
            let planText = segments[1..<(segments.count - 1)].joined(separator: "/")
            guard deps.signer.isValid(signature, for: "\(planText)/\(source)") else {
                throw APIError(.forbidden, "invalid_signature", "the signature does not match the plan and source")
            }
            let (plan, vary) = try Self.plan(planText, accept: request.headers[.accept])
            var headers: HTTPFields = [:]
            if vary { headers[.vary] = "Accept" }
            // A stored source's ETag is known from its record: a revalidation costs no image work.
            var record: MediaRecord?
            if !source.hasPrefix("url:") {
                let stored = try await Self.workflow { try await deps.media.record(source) }
                let tag = Self.tag(stored.digest, plan)
                headers[.eTag] = tag
                headers[.cacheControl] = "public, max-age=31536000, immutable"
                if Self.matches(request.headers[.ifNoneMatch], tag) { return Response(status: .notModified, headers: headers) }
                record = stored
            }
            // The source is read once admitted, so that waiting requests hold no image bytes.
            let made: (TransformOutput, String)
            do { made = try await admission.run { [record] () async throws -> (TransformOutput, String) in
                if let record {
                    // The stored file is read as the pipeline needs it, not whole into memory.
                    return (try await Self.workflow { try await deps.media.run(plan, onStored: record) }, Self.tag(record.digest, plan))
                }
                guard let text = String(source.dropFirst(4)).removingPercentEncoding, let url = URL(string: text), url.scheme != nil else {
                    throw APIError(.badRequest, "invalid_params", "the source is not a URL")
                }
                let data = try await Self.workflow { try await deps.media.dependencies.fetcher.fetch(url).data }
                let tag = Self.tag(Data(SHA256.hash(data: data)).base64EncodedString(), plan)
                return (try await Self.workflow { try await deps.media.run(plan, on: data) }, tag)
            } } catch let error as APIError {
                metrics.image(error.code == "server_busy" ? "busy" : "failed")
                throw error
            }
            metrics.image("made")
            let (output, tag) = made
            if record == nil {
                // A fetched source's ETag is known only once it is read.
                headers[.cacheControl] = "public, max-age=86400"
                headers[.eTag] = tag
                if Self.matches(request.headers[.ifNoneMatch], tag) { return Response(status: .notModified, headers: headers) }
            }
            headers[.contentType] = Self.contentType(of: output.format)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: output.data)))
        }
    }

    /// The plan, with `format:auto` resolved from `Accept`; and whether it was (the answer then varies by it).
    static func plan(_ text: String, accept: String?) throws -> (TransformPlan, vary: Bool) {
        var parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var vary = false
        if let last = parts.last, last == "format:auto" || last.hasPrefix("format:auto:") {
            parts[parts.count - 1] = "format:" + AcceptHeader.imageFormat(accept) + last.dropFirst("format:auto".count)
            vary = true
        }
        do { return (try TransformPlan(parsing: parts.joined(separator: "/")), vary) } catch { throw APIError(any: error) }
    }

    static func tag(_ digest: String, _ plan: TransformPlan) -> String {
        let hash = SHA256.hash(data: Data("\(digest)|\(plan.description)".utf8)).prefix(16).map { String(format: "%02x", $0) }.joined()
        return "\"\(hash)\""
    }

    /// Whether an `If-None-Match` names `tag`: `*`, or the tag itself, weak (`W/"…"`) or not, as
    /// its weak comparison has it (RFC 9110 §13.1.2).
    static func matches(_ header: String?, _ tag: String) -> Bool {
        header?.split(separator: ",").contains { listed in
            let listed = listed.trimmingCharacters(in: .whitespaces)
            return listed == "*" || listed == tag || listed == "W/" + tag
        } ?? false
    }

    static func contentType(of format: ImageFormat) -> String {
        switch format {
        case .jpeg: "image/jpeg"
        default: "image/\(format.rawValue)"
        }
    }
}
