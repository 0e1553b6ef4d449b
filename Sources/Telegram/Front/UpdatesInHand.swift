import Synchronization

/// The updates being handled in this process right now, by id: an update delivered again while
/// its first handling is still under way (a poller and a webhook retry, a restart's replay) is
/// handled once. Shared by every copy of a ``TelegramFront``.
final class UpdatesInHand: Sendable {
    private let ids = Mutex<Set<Int>>([])

    /// Takes `update` in hand; `false` when it already is.
    func take(_ update: Int) -> Bool {
        ids.withLock { $0.insert(update).inserted }
    }

    /// Lets `update` go once its handling is done.
    func release(_ update: Int) {
        _ = ids.withLock { $0.remove(update) }
    }
}
