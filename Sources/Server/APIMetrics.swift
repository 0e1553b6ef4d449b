import HTTPTypes
import Prometheus

/// What `GET /metrics` reports, in Prometheus' text format (swift-prometheus): requests by
/// method, route and status with their durations, and the on-the-fly images made, refused and
/// at work. One registry per API value, so that servers in one process (tests) do not mix.
final class APIMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    /// Request durations' buckets, in seconds: 5 ms to 30 s.
    static let buckets: [Duration] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30].map { .milliseconds(Int64($0 * 1_000)) }

    /// Counts one answered request (an event stream when it starts, not when it ends).
    func record(method: HTTPRequest.Method, route: String, status: HTTPResponse.Status, duration: Duration) {
        let labels = [("method", method.rawValue), ("route", route)]
        registry.makeCounter(descriptor: Self.requests, labels: labels + [("status", String(status.code))]).increment()
        registry.makeDurationHistogram(descriptor: Self.durations, labels: labels, buckets: Self.buckets).record(duration)
    }

    /// An on-the-fly image made (`made`), refused as the queue was full (`busy`) or failed (`failed`).
    func image(_ outcome: String) {
        registry.makeCounter(descriptor: Self.images, labels: [("outcome", outcome)]).increment()
    }

    /// On-the-fly images at work and waiting now.
    func admission(active: Int, waiting: Int) {
        registry.makeGauge(descriptor: Self.imagesActive).set(Double(active))
        registry.makeGauge(descriptor: Self.imagesWaiting).set(Double(waiting))
    }

    /// The text Prometheus scrapes.
    func exposition() -> String { registry.emitToString() }

    // The metrics' names: `darkroom_http_requests_total` and so on.
    static var requests: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "darkroom", subsystem: "http", metricName: "requests", unitName: "total",
                             helpText: "Requests answered, by method, route and status")
    }
    static var durations: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "darkroom", subsystem: "http", metricName: "request_duration", unitName: "seconds",
                             helpText: "Time to the answer's head, by method and route")
    }
    static var images: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "darkroom", subsystem: "onthefly", metricName: "images", unitName: "total",
                             helpText: "On-the-fly images by outcome: made, busy (refused with 503), failed")
    }
    static var imagesActive: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "darkroom", subsystem: "onthefly", metricName: "images_active", unitName: "",
                             helpText: "On-the-fly images being made now")
    }
    static var imagesWaiting: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "darkroom", subsystem: "onthefly", metricName: "images_waiting", unitName: "",
                             helpText: "On-the-fly image requests waiting their turn now")
    }
}
