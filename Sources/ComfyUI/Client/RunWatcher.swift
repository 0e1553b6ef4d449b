import ComfyUIModel
import Foundation

/// Matches WebSocket messages to one prompt: messages may arrive before `POST /prompt` has
/// answered with the prompt id, so they are kept until it is known.
actor RunWatcher {
    enum Ending: Equatable { case finished, socketDropped }

    private var promptID: String?
    private var early: [ServerMessage] = []
    /// Previews that came before the prompt id (a fast sampler can finish before `POST /prompt`
    /// answers); the socket's client id is this run's alone, so they are ours. Kept to a few.
    private var earlyFrames: [BinaryFrame] = []
    private var ending: Ending?
    /// Messages and previews kept before the prompt id is known: a few, whatever a server sends.
    static let earlyLimit = 256
    static let earlyFrameLimit = 8
    private var waiters: [UUID: CheckedContinuation<Ending?, Never>] = [:]
    /// The socket dropped while nobody waited (the follower was polling history): the next wait
    /// hears it at once, so the socket is reopened however the two raced.
    private var dropUnheard = false
    private var connectedWaiters: [UUID: CheckedContinuation<Bool, Never>] = [:]
    private var connected: Bool?
    private let onEvent: @Sendable (RunEvent) -> Void
    private let clock: any MonotonicClock

    init(clock: any MonotonicClock, onEvent: @escaping @Sendable (RunEvent) -> Void) {
        self.clock = clock
        self.onEvent = onEvent
    }

    /// Whether the socket could not open, or has closed.
    var isClosed: Bool { connected == false }

    /// The socket is open (its first `status` arrived) or could not be opened.
    func setConnected(_ value: Bool) {
        guard connected == nil else { return }
        connected = value
        connectedWaiters.values.forEach { $0.resume(returning: value) }
        connectedWaiters.removeAll()
    }

    /// Whether the socket opened, waiting at most `timeout`.
    func waitUntilConnected(within timeout: Duration) async -> Bool {
        if let connected { return connected }
        let id = UUID()
        Task { [clock] in try? await clock.sleep(for: timeout); self.expireConnection(id) }
        return await withCheckedContinuation { connectedWaiters[id] = $0 }
    }

    func setPromptID(_ id: String) {
        promptID = id
        onEvent(.queued(promptID: id))
        let pending = early
        early.removeAll()
        pending.forEach(handle)
        let frames = earlyFrames
        earlyFrames.removeAll()
        frames.forEach(receive)
    }

    func receive(_ message: ServerMessage) {
        if case .status = message { setConnected(true) }
        guard promptID != nil else {
            if message.promptID != nil, early.count < Self.earlyLimit { early.append(message) }
            return
        }
        handle(message)
    }

    func receive(_ frame: BinaryFrame) {
        guard let promptID else {
            if earlyFrames.count < Self.earlyFrameLimit { earlyFrames.append(frame) }
            return
        }
        if case .previewImageWithMetadata(_, let id?, _, _) = frame, id != promptID { return }
        onEvent(.preview(frame))
    }

    /// The caller gave up: end the watch now.
    func cancelled() { if ending == nil { end(.finished) } }

    /// The socket closed. Waiters hear `socketDropped`, but the watch goes on: a reconnected
    /// socket keeps feeding it until the run ends.
    func socketClosed() {
        setConnected(false)
        guard ending == nil else { return }
        onEvent(.socketDropped)
        if waiters.isEmpty { dropUnheard = true }
        waiters.values.forEach { $0.resume(returning: .socketDropped) }
        waiters.removeAll()
    }

    /// How the watch ended (the run finished, or the socket dropped first); `nil` when neither
    /// happened within `timeout`. Each waiter is resumed exactly once, by an event or on expiry.
    func ending(within timeout: Duration) async -> Ending? {
        if let ending { return ending }
        if dropUnheard {
            dropUnheard = false
            return .socketDropped
        }
        let id = UUID()
        Task { [clock] in try? await clock.sleep(for: timeout); self.expireEnding(id) }
        return await withCheckedContinuation { waiters[id] = $0 }
    }

    private func expireEnding(_ id: UUID) { waiters.removeValue(forKey: id)?.resume(returning: nil) }
    private func expireConnection(_ id: UUID) { connectedWaiters.removeValue(forKey: id)?.resume(returning: false) }

    private func handle(_ message: ServerMessage) {
        guard let promptID, message.promptID == promptID, ending == nil else { return }
        switch message {
        case .executionStart: onEvent(.started)
        case .executionCached(_, let nodes, _): if !nodes.isEmpty { onEvent(.cached(nodes: nodes)) }
        case .executing(_, let node?): onEvent(.executing(node: node))
        case .executing(_, nil), .executionError, .executionInterrupted: end(.finished)
        case .progress(_, let node, let value, let max):
            // Any client of a shared server may send anything: keep 0 ≤ value ≤ max.
            let total = Swift.max(0, max)
            onEvent(.progress(node: node, value: Swift.min(Swift.max(0, value), total), max: total))
        default: break
        }
    }

    private func end(_ value: Ending) {
        ending = value
        waiters.values.forEach { $0.resume(returning: value) }
        waiters.removeAll()
    }
}
