/// Where a reader of an outside feed is up to, by name (`telegram:<bot>`: the next update to ask
/// the Bot API for), kept across restarts and shared by the instances over one database.
public protocol CursorStore: Sendable {
    /// The position saved under `name`, if any.
    func position(of name: String) async throws -> Int?
    /// Saves `position` under `name` unless a later one is saved already: a cursor only moves
    /// forward, so an instance that lags behind cannot take another back.
    func save(_ name: String, position: Int) async throws
}
