import Foundation

/// What the client checks before it sends: the Bot API's documented limits, so that they are
/// respected, not discovered; and how parameters are encoded.
extension BotAPIClient {

    static func check(text: String, method: String) throws(BotAPIError) {
        guard !text.isEmpty else { throw BotAPIError(.overLimit, method: method, message: "a message's text cannot be empty") }
        guard text.utf16.count <= BotAPILimits.textLength else {
            throw BotAPIError(.overLimit, method: method, message: "the text is \(text.utf16.count) characters, over \(BotAPILimits.textLength)")
        }
    }

    static func check(caption: String?, method: String) throws(BotAPIError) {
        guard let caption, caption.utf16.count > BotAPILimits.captionLength else { return }
        throw BotAPIError(.overLimit, method: method, message: "the caption is \(caption.utf16.count) characters, over \(BotAPILimits.captionLength)")
    }

    static func check(_ keyboard: InlineKeyboardMarkup?, method: String) throws(BotAPIError) {
        for button in (keyboard?.inlineKeyboard ?? []).joined() {
            let bytes = button.callbackData?.utf8.count ?? 0
            guard (1...BotAPILimits.callbackDataBytes).contains(bytes) else {
                throw BotAPIError(.overLimit, method: method,
                                  message: "the button '\(button.text)' carries \(bytes) bytes of callback data; 1 to \(BotAPILimits.callbackDataBytes) are allowed")
            }
        }
    }

    static func check(bytes: Int, limit: Int, what: String, method: String) throws(BotAPIError) {
        guard bytes <= limit else { throw BotAPIError(.overLimit, method: method, message: "the \(what) is \(bytes) bytes, over \(limit)") }
    }

    static func fields(chat: Int64, caption: String?, keyboard: InlineKeyboardMarkup?, method: String) throws(BotAPIError) -> [(String, String)] {
        var fields = [("chat_id", String(chat))]
        if let caption { fields.append(("caption", caption)) }
        if let keyboard { fields.append(("reply_markup", try json(keyboard, method: method))) }
        return fields
    }

    static func json(_ value: some Encodable, method: String) throws(BotAPIError) -> String {
        String(decoding: try encode(value, method: method), as: UTF8.self)
    }

    static func encode(_ value: some Encodable, method: String) throws(BotAPIError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        do { return try encoder.encode(value) } catch {
            throw BotAPIError(.malformed, method: method, message: "the parameters could not be encoded: \(error)")
        }
    }

    /// What a network failure was, without the URL (which holds the token).
    static func network(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("connectTimeout") || text.contains("deadlineExceeded") || text.contains("readTimeout") { return "no answer in time" }
        if text.contains("Connection refused") { return "the connection was refused" }
        if text.contains("remoteConnectionClosed") || text.contains("connectionReset") || text.contains("EOF") { return "the connection was dropped" }
        return "the Bot API could not be reached"
    }
}
