public import Foundation
public import Studio

/// A clock the test moves by hand.
public final class ManualClock: StudioClock, @unchecked Sendable {
    // @unchecked: `current` is only touched under `lock`.
    private let lock = NSLock()
    private var current: Date

    /// Starts at a fixed, whole-second moment (2026-01-01T00:00:00Z) unless told otherwise.
    public init(_ start: Date = Date(timeIntervalSince1970: 1_767_225_600)) { current = start }

    public func now() -> Date { lock.withLock { current } }

    /// Moves the clock forward.
    public func advance(by seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }

    /// Minutes, for readability.
    public func advance(minutes: Double) { advance(by: minutes * 60) }
}
