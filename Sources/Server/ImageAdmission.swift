import HTTPTypes

/// How many on-the-fly images are made at once: as many as the image workers, with up to
/// `queue` more requests waiting their turn (holding nothing but their place) and the rest
/// refused at once with 503 and `Retry-After`, so that a burst neither piles source bytes up in
/// memory nor makes every request late.
actor ImageAdmission {
    let limit: Int
    let queue: Int
    private var active = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int, queue: Int) {
        self.limit = max(1, limit)
        self.queue = max(0, queue)
    }

    /// Images at work and requests waiting, now.
    var load: (active: Int, waiting: Int) { (active, waiting.count) }

    /// Runs `work` once admitted; `server_busy` when the queue is full.
    func run<Value: Sendable>(_ work: @Sendable () async throws -> Value) async throws -> Value {
        try await enter()
        defer { leave() }
        return try await work()
    }

    private func enter() async throws {
        if active < limit {
            active += 1
            return
        }
        guard waiting.count < queue else {
            var error = APIError(.serviceUnavailable, "server_busy", "\(limit + queue) images are being made or wait; try again shortly")
            error.retryAfter = 1
            throw error
        }
        // The place is handed over by `leave`, which keeps `active` as it is.
        await withCheckedContinuation { waiting.append($0) }
    }

    private func leave() {
        if waiting.isEmpty {
            active -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
