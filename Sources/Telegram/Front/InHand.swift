import Synchronization

/// What this process is handling right now, by key: an update delivered again while its first
/// handling is under way (a poller and a webhook retry, a restart's replay) is handled once, and
/// a run already brought to its chat here is not picked up a second time. Shared by every copy of
/// a ``TelegramFront``.
final class InHand<Key: Hashable & Sendable>: Sendable {
    private let keys = Mutex<Set<Key>>([])

    /// Takes `key` in hand; `false` when it already is.
    func take(_ key: Key) -> Bool {
        keys.withLock { $0.insert(key).inserted }
    }

    /// Lets `key` go once its handling is done.
    func release(_ key: Key) {
        _ = keys.withLock { $0.remove(key) }
    }
}
