/// Who may use a shared real server at once: any number of scenarios together, or one alone.
///
/// A real ComfyUI keeps only the last prompt's outputs in its cache, so a scenario that relies
/// on a cached rerun fails if another prompt runs in between: it takes the server exclusively.
actor ServerGate {
    static let shared = ServerGate()

    private var sharedHolders = 0
    private var exclusiveHeld = false
    private var waiting: [(exclusive: Bool, continuation: CheckedContinuation<Void, Never>)] = []

    func acquire(exclusive: Bool) async {
        if canEnter(exclusive: exclusive), waiting.isEmpty {
            enter(exclusive: exclusive)
            return
        }
        await withCheckedContinuation { waiting.append((exclusive, $0)) }
    }

    func release(exclusive: Bool) {
        if exclusive { exclusiveHeld = false } else { sharedHolders -= 1 }
        // Wake waiters in order while they fit (one exclusive, or a run of shared ones).
        while let next = waiting.first, canEnter(exclusive: next.exclusive) {
            waiting.removeFirst()
            enter(exclusive: next.exclusive)
            next.continuation.resume()
        }
    }

    private func canEnter(exclusive: Bool) -> Bool {
        exclusive ? !exclusiveHeld && sharedHolders == 0 : !exclusiveHeld
    }

    private func enter(exclusive: Bool) {
        if exclusive { exclusiveHeld = true } else { sharedHolders += 1 }
    }
}
