import Foundation

/// The image format `format:auto` answers with, from a request's `Accept` (RFC 9110 §12.5.1).
///
/// AVIF or WebP only when the client names it with a weight above zero (`image/avif;q=0`
/// refuses it; `image/*` and `*/*` name neither, since browsers that send them may decode
/// neither); the higher weight wins, AVIF on a tie (it is the smaller file). JPEG otherwise.
enum AcceptHeader {
    static func imageFormat(_ header: String?) -> String {
        var weights: [String: Double] = [:]
        for range in (header ?? "").split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let type = parts.first, type == "image/avif" || type == "image/webp" else { continue }
            let weight = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            weights[type] = max(weights[type] ?? 0, min(max(weight, 0), 1))
        }
        let avif = weights["image/avif"] ?? 0, webp = weights["image/webp"] ?? 0
        if avif > 0 && avif >= webp { return "avif" }
        return webp > 0 ? "webp" : "jpeg"
    }
}
