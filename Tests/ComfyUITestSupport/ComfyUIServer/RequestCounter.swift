import Hummingbird

/// Counts the requests the test server answers, by method and path (`GET /object_info`), so a
/// test can assert how often a client asks (a cached `/object_info`, a polling back-off).
struct RequestCounter: RouterMiddleware {
    typealias Context = BasicRequestContext
    let state: ServerState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        await state.count("\(request.method.rawValue) \(request.uri.path)")
        return try await next(request, context)
    }
}
