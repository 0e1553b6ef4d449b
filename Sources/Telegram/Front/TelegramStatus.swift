import Foundation

/// One status message of the bot's, edited as long work goes on (a generation, a training run, a
/// cook, an upscale): texts are handed to the outbox in the order they were shown, by one task, so
/// an older text never lands after a newer one; the outbox paces the edits and lets the newest
/// waiting one win.
struct TelegramStatus: Sendable {
    let chat: Int64
    let message: Int
    private let texts: AsyncStream<(String, InlineKeyboardMarkup?)>.Continuation

    init(chat: Int64, message: Int, outbox: TelegramOutbox) {
        self.chat = chat
        self.message = message
        let (stream, texts) = AsyncStream<(String, InlineKeyboardMarkup?)>.makeStream()
        self.texts = texts
        Task {
            for await (text, keyboard) in stream { await outbox.updateStatus(chat: chat, message: message, text: text, keyboard: keyboard) }
        }
    }

    /// Sends a new status message to `chat` saying `text`, to be edited from then on.
    static func open(_ text: String, keyboard: InlineKeyboardMarkup? = nil, in chat: Int64, outbox: TelegramOutbox) async throws -> TelegramStatus {
        let sent = try await outbox.send(to: chat) { client throws(BotAPIError) in
            try await client.sendMessage(chat: chat, text: text, keyboard: keyboard)
        }
        return TelegramStatus(chat: chat, message: sent.messageID, outbox: outbox)
    }

    /// Shows `text` (and `keyboard`) next.
    func show(_ text: String, keyboard: InlineKeyboardMarkup? = nil) {
        texts.yield((String(text.prefix(BotAPILimits.textLength)), keyboard))
    }

    /// Shows `text` last, after every earlier one; later texts are not shown.
    func end(_ text: String, keyboard: InlineKeyboardMarkup? = nil) {
        show(text, keyboard: keyboard)
        texts.finish()
    }
}
