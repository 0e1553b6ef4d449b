public import Studio

/// Where the poller keeps the id of the next update to ask for — a cursor in the database named
/// after the bot — so that a restart neither loses nor repeats an update, and an instance taking
/// the polling over from another goes on where that one was.
public struct TelegramOffset: Sendable {
    let cursors: any CursorStore
    /// The cursor's name: `telegram:<bot id>`.
    public let name: String

    public init(cursors: any CursorStore, bot: Int64) {
        self.cursors = cursors
        name = "telegram:\(bot)"
    }

    /// The next update to ask for; `nil` before the first was handled.
    public func load() async throws -> Int? { try await cursors.position(of: name) }

    /// Saves `offset` once the updates before it were handled.
    public func save(_ offset: Int) async throws { try await cursors.save(name, position: offset) }
}
