import Foundation
import Hummingbird
import Studio

/// Authenticates `Authorization: Bearer <key>` and counts the request against the key's rate;
/// refuses a request without a valid key (401) or over its rate (429 with `Retry-After`).
struct AuthMiddleware: RouterMiddleware {
    typealias Context = APIContext
    let keys: APIKeys
    let limiter: RateLimiter

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw APIError.unauthorized("this endpoint needs an API key: Authorization: Bearer <key>")
        }
        let key = try await keys.authenticate(String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        if let wait = await limiter.take(key.id, perMinute: key.requestsPerMinute) {
            var error = APIError(.tooManyRequests, "rate_limited", "key \(key.id) is over its \(key.requestsPerMinute) requests a minute")
            error.retryAfter = wait
            throw error
        }
        var context = context
        context.key = key
        return try await next(request, context)
    }
}
