/// Buttons under a message.
public struct InlineKeyboardMarkup: Codable, Sendable, Equatable {
    public var inlineKeyboard: [[InlineKeyboardButton]]

    public init(_ rows: [[InlineKeyboardButton]]) { inlineKeyboard = rows }

    enum CodingKeys: String, CodingKey { case inlineKeyboard = "inline_keyboard" }
}

/// One button: its label and the data its press sends back (at most 64 bytes).
public struct InlineKeyboardButton: Codable, Sendable, Equatable {
    public var text: String
    public var callbackData: String?

    public init(_ text: String, data: String) {
        self.text = text
        callbackData = data
    }

    enum CodingKeys: String, CodingKey { case text, callbackData = "callback_data" }
}
