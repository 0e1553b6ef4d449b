/// A chat: private (with one user), a group, a channel.
public struct Chat: Codable, Sendable, Equatable {
    public var id: Int64
    public var type: String

    public init(id: Int64, type: String = "private") {
        self.id = id
        self.type = type
    }
}
