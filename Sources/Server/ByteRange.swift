import Foundation

/// What a request's `Range` (and `If-Range`) ask of a body of known length (RFC 9110 §14).
///
/// One range is served as a part. Anything this server does not serve as a part (no `Range`, a
/// unit other than bytes, a malformed or multi-range set, an `If-Range` that does not name the
/// current ETag) is answered with the whole body, as the RFC lets a server that ignores `Range`
/// do: a client asking for `bytes=0-1,5-6` gets every byte, not an error. Only a well-formed
/// single range that starts past the end is unsatisfiable (416).
enum ByteRange {
    /// The whole body, status 200.
    case whole
    /// Bytes `first...last` (inclusive), status 206.
    case part(first: Int, last: Int)
    /// A range that lies outside the body, status 416.
    case unsatisfiable

    /// The range `range` asks of `length` bytes whose strong ETag is `tag`, given the request's
    /// `If-Range` (`ifRange`; a date there never matches: the body has no modification date).
    init(range: String?, ifRange: String?, tag: String, length: Int) {
        guard let range, ifRange == nil || ifRange == tag else {
            self = .whole
            return
        }
        self = Self.parse(range.trimmingCharacters(in: .whitespaces), length: length)
    }

    private static func parse(_ header: String, length: Int) -> ByteRange {
        guard header.lowercased().hasPrefix("bytes=") else { return .whole }
        let spec = header.dropFirst(6).trimmingCharacters(in: .whitespaces)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return .whole }
        let (from, to) = (spec[..<dash], spec[spec.index(after: dash)...])
        guard from.allSatisfy(\.isASCIIDigit), to.allSatisfy(\.isASCIIDigit), !(from.isEmpty && to.isEmpty) else { return .whole }
        if from.isEmpty {
            // `bytes=-n`: the last n bytes. A suffix of zero bytes selects nothing.
            guard let suffix = Int(to) else { return .whole }
            return suffix > 0 && length > 0 ? .part(first: max(0, length - suffix), last: length - 1) : .unsatisfiable
        }
        guard let first = Int(from) else { return .unsatisfiable } // past any length this server holds
        let last = to.isEmpty ? Int.max : (Int(to) ?? Int.max)
        guard last >= first else { return .whole }  // `bytes=9-3` is malformed, not unsatisfiable
        return first < length ? .part(first: first, last: min(last, length - 1)) : .unsatisfiable
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
