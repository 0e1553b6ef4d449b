/// The Bot API's documented limits (https://core.telegram.org/bots/api, https://core.telegram.org/bots/faq):
/// what the client refuses before sending, and the pace the outbox keeps.
public enum BotAPILimits {
    /// A message's text, in UTF-16 code units after entity parsing (we send plain text).
    public static let textLength = 4_096
    /// A media caption.
    public static let captionLength = 1_024
    /// A button's callback data, in bytes.
    public static let callbackDataBytes = 64
    /// An answer to a callback query.
    public static let callbackAnswerLength = 200
    /// A photo uploaded with sendPhoto.
    public static let photoBytes = 10 * 1_024 * 1_024
    /// Any other file uploaded (sendDocument).
    public static let documentBytes = 50 * 1_024 * 1_024
    /// A file downloaded through getFile.
    public static let downloadBytes = 20 * 1_024 * 1_024
    /// A photo's width plus height.
    public static let photoSideSum = 10_000
    /// Items in one media group.
    public static let mediaGroup = 2...10
    /// Messages a second to one chat, and to all chats together.
    public static let messagesPerSecondPerChat = 1
    public static let messagesPerSecond = 30

    /// Whether `text` holds only what a token's secret part and a webhook's secret token may:
    /// `A-Z`, `a-z`, `0-9`, `_` and `-`.
    public static func isTokenText(_ text: some StringProtocol) -> Bool {
        text.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "_" || $0 == "-" }
    }
}
