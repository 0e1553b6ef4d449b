/// An incoming update: a message or a button press.
public struct Update: Codable, Sendable, Equatable {
    public var updateID: Int
    public var message: Message?
    public var callbackQuery: CallbackQuery?

    public init(updateID: Int, message: Message? = nil, callbackQuery: CallbackQuery? = nil) {
        self.updateID = updateID
        self.message = message
        self.callbackQuery = callbackQuery
    }

    enum CodingKeys: String, CodingKey {
        case updateID = "update_id", message, callbackQuery = "callback_query"
    }
}
