public import ComfyUIModel
public import Foundation

/// Several ComfyUI servers from configuration. Jobs go to the healthy server with the shortest
/// queue; a server that fails `failureThreshold` times in a row is taken out, and probed again
/// once `probeInterval` has passed since it went down.
public actor ComfyUIPool {
    /// One server's standing in the pool.
    public struct ServerStatus: Sendable, Equatable {
        public var url: URL
        public var isHealthy: Bool
        public var consecutiveFailures: Int
        /// The last queue length seen (running + pending), when it answered.
        public var queueRemaining: Int?
    }

    public let failureThreshold: Int
    public let probeInterval: Duration
    private let requestTimeout: Duration
    private var servers: [URL: ServerStatus]
    private var downSince: [URL: Duration] = [:]
    private var objectInfo: [URL: ObjectInfo] = [:]
    private let order: [URL]
    private let clock: any MonotonicClock

    public init(servers: [URL], failureThreshold: Int = 3, probeInterval: Duration = .seconds(30),
                requestTimeout: Duration = .seconds(10), clock: any MonotonicClock = SystemMonotonicClock()) {
        self.clock = clock
        order = servers
        self.servers = Dictionary(uniqueKeysWithValues: servers.map {
            ($0, ServerStatus(url: $0, isHealthy: true, consecutiveFailures: 0, queueRemaining: nil))
        })
        self.failureThreshold = max(1, failureThreshold)
        self.probeInterval = probeInterval
        self.requestTimeout = requestTimeout
    }

    /// A client of the server a job should go to now: asks every server that is healthy (or due
    /// for a probe) for its queue and picks the shortest (the first configured on a tie).
    /// `server_unreachable` when none answers.
    public func pick() async throws -> ComfyUIClient {
        let now = clock.now
        let candidates = order.filter { url in
            servers[url]?.isHealthy == true || downSince[url].map { now - $0 >= probeInterval } == true
        }
        var best: (url: URL, queue: Int)?
        for url in candidates {
            let client = self.client(for: url)
            do {
                let queue = try await client.queueRemaining()
                recordSuccess(url, queue: queue)
                if best == nil || queue < best!.queue { best = (url, queue) }
            } catch {
                recordFailure(url)
            }
        }
        guard let best else {
            throw ComfyUIError(.serverUnreachable, "no ComfyUI server answers (\(order.map(\.absoluteString).joined(separator: ", ")))")
        }
        return client(for: best.url)
    }

    /// A client of `url` with the pool's timeout and clock.
    public func client(for url: URL) -> ComfyUIClient {
        ComfyUIClient(baseURL: url, requestTimeout: requestTimeout, clock: clock)
    }

    /// The server's `/object_info`, fetched once and kept: a run checks its graph against it
    /// without asking again. ``forgetObjectInfo(of:)`` drops it when it proves stale.
    public func objectInfo(of client: ComfyUIClient) async throws -> ObjectInfo {
        if let cached = objectInfo[client.baseURL] { return cached }
        let fetched = try await client.objectInfo()
        objectInfo[client.baseURL] = fetched
        return fetched
    }

    /// Drops the kept `/object_info` of `url` (a model was installed, a node added…).
    public func forgetObjectInfo(of url: URL) { objectInfo[url] = nil }

    /// Submits to the picked server, trying the next one when a server cannot be reached.
    /// Refusals (validation errors) are the graph's fault and are not retried elsewhere.
    public func submit(_ graph: [String: JSONValue], clientID: String = ClientID.new()) async throws -> JobTicket {
        var lastError: (any Error)?
        for _ in 0..<max(1, order.count) {
            let client = try await pick()
            do {
                let submission = try await client.submit(graph, clientID: clientID)
                return JobTicket(server: client.baseURL, promptID: submission.promptID, clientID: clientID,
                                 droppedBranches: submission.droppedBranches.map(\.description))
            } catch let error as ComfyUIError where error.code == .serverUnreachable || error.code == .timedOut {
                recordFailure(client.baseURL)
                lastError = error
            }
        }
        throw lastError ?? ComfyUIError(.serverUnreachable, "no ComfyUI server accepted the job")
    }

    /// Tells the pool a server failed a request (a job's watcher, say).
    public func reportFailure(of url: URL) { recordFailure(url) }

    /// Every server, in configured order.
    public func status() -> [ServerStatus] { order.compactMap { servers[$0] } }

    private func recordSuccess(_ url: URL, queue: Int) {
        servers[url]?.isHealthy = true
        servers[url]?.consecutiveFailures = 0
        servers[url]?.queueRemaining = queue
        downSince[url] = nil
    }

    private func recordFailure(_ url: URL) {
        guard var status = servers[url] else { return }
        status.consecutiveFailures += 1
        status.queueRemaining = nil
        if status.consecutiveFailures >= failureThreshold || !status.isHealthy {
            status.isHealthy = false
            downSince[url] = clock.now
        }
        servers[url] = status
    }
}
