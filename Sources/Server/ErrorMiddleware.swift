import Hummingbird

/// Turns whatever a handler throws into the API's error body: a workflow error with its code
/// and status, Hummingbird's own (an unknown route) as `not_found` and the like.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = APIContext

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        do { return try await next(request, context) } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            let code = error.status == .notFound ? "not_found" : error.status == .methodNotAllowed ? "method_not_allowed" : "bad_request"
            throw APIError(error.status, code, error.body ?? "\(request.method) \(request.uri.path): \(error.status.reasonPhrase)")
        } catch {
            throw APIError(any: error)
        }
    }
}
