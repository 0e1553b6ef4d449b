/// Carries short messages between the instances that share one database: how the events of a
/// job reach a client connected to an instance that does not run it. Delivery is at most once
/// and only to instances listening at the time (PostgreSQL's LISTEN/NOTIFY); what must not be
/// lost lives in the stores.
public protocol JobEventChannel: Sendable {
    /// The longest message ``publish(_:)`` carries, in UTF-8 bytes.
    var maximumMessageBytes: Int { get }
    /// Sends `message` to every instance listening (this one included).
    func publish(_ message: String) async throws
    /// The messages published from now on, by any instance, until the listening task is cancelled.
    func messages() -> AsyncStream<String>
}
