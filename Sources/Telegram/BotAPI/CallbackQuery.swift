/// A press of an inline keyboard button.
public struct CallbackQuery: Codable, Sendable, Equatable {
    public var id: String
    public var from: User
    public var message: Message?
    public var data: String?

    public init(id: String, from: User, message: Message? = nil, data: String? = nil) {
        self.id = id
        self.from = from
        self.message = message
        self.data = data
    }
}
