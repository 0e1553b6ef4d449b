import Hummingbird

/// Records every request in ``APIMetrics``: its method, the route it matched (the pattern, such
/// as `/v1/jobs/{id}`, so that ids do not make a label each; `unmatched` otherwise), its status
/// (an error's too) and how long the answer took to start.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = APIContext
    let metrics: APIMetrics

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            metrics.record(method: request.method, route: context.endpointPath ?? "unmatched", status: response.status,
                           duration: ContinuousClock.now - started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            metrics.record(method: request.method, route: context.endpointPath ?? "unmatched", status: status, duration: ContinuousClock.now - started)
            throw error
        }
    }
}
