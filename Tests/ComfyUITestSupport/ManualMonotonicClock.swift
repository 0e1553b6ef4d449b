public import ComfyUI
import NIOConcurrencyHelpers

/// A ``MonotonicClock`` the test moves by hand: `sleep` returns once ``advance(by:)`` has moved
/// the time past its deadline (or throws when the sleeping task is cancelled). Deadlines,
/// polling and probe intervals are then tested without waiting for them.
public final class ManualMonotonicClock: MonotonicClock, Sendable {
    private struct Sleeper {
        var deadline: Duration
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Duration = .zero
        var sleepers: [Int: Sleeper] = [:]
        var nextID = 0
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    public var now: Duration { state.withLockedValue { $0.now } }

    /// How many sleeps are waiting for the clock to move.
    public var sleepers: Int { state.withLockedValue { $0.sleepers.count } }

    public func sleep(for duration: Duration) async throws {
        let id = state.withLockedValue { state -> Int in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let ready = state.withLockedValue { state -> Bool in
                    if duration <= .zero || Task.isCancelled { return true }
                    state.sleepers[id] = Sleeper(deadline: state.now + duration, continuation: continuation)
                    return false
                }
                if ready { continuation.resume() }
            }
            try Task.checkCancellation()
        } onCancel: {
            state.withLockedValue { $0.sleepers.removeValue(forKey: id) }?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the time forward and wakes every sleep whose deadline has come.
    public func advance(by duration: Duration) {
        let due = state.withLockedValue { state -> [Sleeper] in
            state.now += duration
            let due = state.sleepers.filter { $0.value.deadline <= state.now }
            due.keys.forEach { state.sleepers.removeValue(forKey: $0) }
            return Array(due.values)
        }
        due.forEach { $0.continuation.resume() }
    }

    /// Advances in `step`s until `condition` holds, at most `limit` of this clock's time, letting
    /// the woken tasks run for `pace` of real time between steps (what they do over the network
    /// takes real time, more on a loaded machine).
    public func advance(by step: Duration, until condition: @Sendable () async -> Bool, limit: Duration = .seconds(3600),
                        pace: Duration = .milliseconds(5)) async {
        var moved = Duration.zero
        while await !condition(), moved < limit {
            advance(by: step)
            moved += step
            await Task.yield()
            try? await Task.sleep(for: pace)
        }
    }
}
