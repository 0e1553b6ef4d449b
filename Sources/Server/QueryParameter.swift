import Hummingbird

/// A request's query parameters, read strictly: a value that is there but not what the endpoint
/// takes is refused with `invalid_params` naming the parameter, never read as if it were absent.
/// `?limit=abc` or `?delete_media=yes` must not quietly mean the default.
enum QueryParameter {
    /// The whole number `name` within `range`; `fallback` when the query does not have it.
    static func integer(_ name: String, of request: Request, in range: ClosedRange<Int>, default fallback: Int) throws -> Int {
        guard let text = request.uri.queryParameters.get(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            let expected = range.upperBound == Int.max ? "\(range.lowerBound) or more" : "\(range.lowerBound) … \(range.upperBound)"
            throw APIError(.badRequest, "invalid_params", "\(name): expected a whole number \(expected), received '\(text)'")
        }
        return value
    }

    /// The flag `name`: `true` or `false` (`1` or `0`); false when the query does not have it.
    static func flag(_ name: String, of request: Request) throws -> Bool {
        guard let text = request.uri.queryParameters.get(name) else { return false }
        switch text.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw APIError(.badRequest, "invalid_params", "\(name): expected true or false, received '\(text)'")
        }
    }
}
