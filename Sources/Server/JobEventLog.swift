import Foundation
import Synchronization

/// The events of the jobs this process runs, numbered from 1 per job and kept after the job
/// ends (the last 1 000 jobs), so that a client that reconnects with `Last-Event-ID` gets what it
/// missed and then the rest as it happens.
final class JobEventLog: Sendable {
    /// One Server-Sent Event: its number, name and JSON data.
    struct Event: Sendable, Equatable {
        var id: Int
        var name: String
        var data: String

        /// The event as `text/event-stream` has it.
        var wire: String { "id: \(id)\nevent: \(name)\ndata: \(data)\n\n" }
    }

    private struct Log {
        var events: [Event] = []
        var finished = false
        var listeners: [UUID: AsyncStream<Event>.Continuation] = [:]
    }

    private struct State {
        var logs: [String: Log] = [:]
        var order: [String] = []
    }

    private let state = Mutex(State())
    static let keptJobs = 1_000

    /// Starts the log of `job` (forgetting the oldest finished log beyond ``keptJobs``).
    func open(_ job: String) {
        state.withLock { state in
            guard state.logs[job] == nil else { return }
            state.logs[job] = Log()
            state.order.append(job)
            while state.order.count > Self.keptJobs, let oldest = state.order.first, state.logs[oldest]?.finished ?? true {
                state.order.removeFirst()
                state.logs[oldest] = nil
            }
        }
    }

    /// Starts the log of `job` anew when its last one ended (a dataset trained again after a
    /// start that failed), or starts it.
    func reopen(_ job: String) {
        state.withLock { state in
            if state.logs[job]?.finished == true { state.logs[job] = Log() }
        }
        open(job)
    }

    /// Appends an event and hands it to every listener; `last` ends the log.
    func append(_ job: String, _ name: String, _ data: some Encodable, last: Bool = false) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let json = (try? encoder.encode(data)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        // Yielded under the lock, so every listener sees the events in order; finished after it,
        // since finishing runs the stream's termination handler, which takes the lock.
        let ended = state.withLock { state -> [AsyncStream<Event>.Continuation] in
            guard var log = state.logs[job], !log.finished else { return [] }
            let event = Event(id: log.events.count + 1, name: name, data: json)
            log.events.append(event)
            for listener in log.listeners.values { listener.yield(event) }
            var ended: [AsyncStream<Event>.Continuation] = []
            if last {
                log.finished = true
                ended = Array(log.listeners.values)
                log.listeners = [:]
            }
            state.logs[job] = log
            return ended
        }
        for listener in ended { listener.finish() }
    }

    /// The events of `job` after `lastID`, then the new ones until the job ends; `nil` when this
    /// process does not know the job.
    func events(of job: String, after lastID: Int) -> AsyncStream<Event>? {
        let (stream, continuation) = AsyncStream<Event>.makeStream()
        let id = UUID()
        let known = state.withLock { state -> Bool in
            guard var log = state.logs[job] else { return false }
            for event in log.events where event.id > lastID { continuation.yield(event) }
            if log.finished {
                continuation.finish()
            } else {
                log.listeners[id] = continuation
                state.logs[job] = log
            }
            return true
        }
        guard known else { return nil }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { state in _ = state.logs[job]?.listeners.removeValue(forKey: id) }
        }
        return stream
    }
}
