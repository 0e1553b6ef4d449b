import ComfyUI
import ComfyUIModel
import Foundation
import Testing

/// Collects run events from the client's callbacks, and lets a test wait for one.
final class EventLog: @unchecked Sendable {
    // @unchecked: `events` is only touched under `lock`.
    private let lock = NSLock()
    private var events: [RunEvent] = []

    func append(_ event: RunEvent) { lock.withLock { events.append(event) } }

    var all: [RunEvent] { lock.withLock { events } }

    /// The prompt id from the `queued` event, once there is one.
    var promptID: String? {
        all.lazy.compactMap { event -> String? in if case .queued(let id) = event { id } else { nil } }.first
    }

    /// Waits until an event matches (polling; runs can be slow on a real server).
    func wait(for description: String, timeout: Duration = .seconds(300), _ matches: (RunEvent) -> Bool) async throws {
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: timeout)
        while !all.contains(where: matches) {
            guard clock.now < end else {
                Issue.record("no \(description) within \(timeout); events: \(all)")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
