import Foundation
import Studio
import Synchronization

/// The events of the jobs this process runs, numbered from 1 per job and kept after the job
/// ends (the last 1 000 jobs), so that a client that reconnects with `Last-Event-ID` gets what it
/// missed and then the rest as it happens.
///
/// With a ``JobEventChannel`` (several instances over one PostgreSQL database), every event is
/// also sent to the other instances, which keep a copy of the log under the same numbers: a
/// client connected to any instance follows any job. Events too large for the channel (previews)
/// reach only the clients of the instance that runs the job; the others see a gap in the numbers.
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

    /// An event as it travels between instances.
    private struct Relayed: Codable {
        var origin: String
        var job: String
        var id: Int
        var name: String
        var data: String
        var last: Bool
    }

    private let state = Mutex(State())
    static let keptJobs = 1_000
    /// This process's name on the channel (its own events come back to it and are skipped).
    let instance: String
    private let outbox: AsyncStream<String>.Continuation?
    private let relaying = Mutex<[Task<Void, Never>]>([])

    /// A log of this process's jobs; with `channel`, shared with every instance on it.
    init(channel: (any JobEventChannel)? = nil, instance: String = UUID().uuidString) {
        self.instance = instance
        guard let channel else {
            outbox = nil
            return
        }
        let (messages, outbox) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        self.outbox = outbox
        // One sender, so the other instances get a job's events in order.
        let sender = Task {
            for await message in messages { try? await channel.publish(message) }
        }
        let incoming = channel.messages()
        let receiver = Task { [weak self] in
            for await message in incoming { self?.receive(message) }
        }
        relaying.withLock { $0 = [sender, receiver] }
    }

    deinit {
        outbox?.finish()
        relaying.withLock { $0.forEach { $0.cancel() } }
    }

    /// Whether the events also travel to other instances.
    var relays: Bool { outbox != nil }

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
        let json = (try? JSONBody.encoder().encode(data)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        // Yielded under the lock, so every listener sees the events in order; finished after it,
        // since finishing runs the stream's termination handler, which takes the lock.
        let (event, ended) = state.withLock { state -> (Event?, [AsyncStream<Event>.Continuation]) in
            guard let log = state.logs[job], !log.finished else { return (nil, []) }
            let event = Event(id: (log.events.last?.id ?? 0) + 1, name: name, data: json)
            return (event, Self.add(event, last: last, to: job, in: &state))
        }
        for listener in ended { listener.finish() }
        if let event, let outbox {
            let relayed = Relayed(origin: instance, job: job, id: event.id, name: name, data: json, last: last)
            if let message = try? JSONEncoder().encode(relayed), message.count <= 7_900 {
                outbox.yield(String(decoding: message, as: UTF8.self))
            }
        }
    }

    /// Appends `event` to `job`'s log and hands it to its listeners; `last` ends the log and
    /// returns the listeners to finish (outside the lock).
    private static func add(_ event: Event, last: Bool, to job: String, in state: inout State) -> [AsyncStream<Event>.Continuation] {
        guard var log = state.logs[job] else { return [] }
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

    /// An event another instance sent: kept under its number in this process's copy of the
    /// job's log (started when it is the first heard of), unless it is this process's own, or
    /// one already here.
    private func receive(_ message: String) {
        guard let relayed = try? JSONDecoder().decode(Relayed.self, from: Data(message.utf8)), relayed.origin != instance else { return }
        open(relayed.job)
        let ended = state.withLock { state -> [AsyncStream<Event>.Continuation] in
            guard let log = state.logs[relayed.job], !log.finished, relayed.id > (log.events.last?.id ?? 0) else { return [] }
            return Self.add(Event(id: relayed.id, name: relayed.name, data: relayed.data), last: relayed.last, to: relayed.job, in: &state)
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
