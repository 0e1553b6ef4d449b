/// The time a run, a watcher and a pool wait by: injected, so that tests move it by hand instead
/// of sleeping for real.
public protocol MonotonicClock: Sendable {
    /// The time since a fixed, arbitrary moment; never goes back.
    var now: Duration { get }
    /// Suspends for `duration` of this clock's time; throws `CancellationError` when cancelled.
    func sleep(for duration: Duration) async throws
}

extension MonotonicClock {
    /// Suspends until `deadline` (a value of ``now``); returns at once when it has passed.
    public func sleep(until deadline: Duration) async throws {
        let remaining = deadline - now
        if remaining > .zero { try await sleep(for: remaining) }
    }
}

/// The system's monotonic clock (`ContinuousClock`).
public struct SystemMonotonicClock: MonotonicClock {
    private let start = ContinuousClock.now

    public init() {}

    public var now: Duration { ContinuousClock.now - start }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}
