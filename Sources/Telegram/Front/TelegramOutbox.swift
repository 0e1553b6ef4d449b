import Foundation

/// Everything the bot sends goes through here, at a pace the Bot API allows instead of one it
/// discovers: at most one message a second to a chat and thirty a second overall (each call gets a
/// slot before it is made); a 429 is waited out for the `retry_after` it gives and the call made
/// again; a dropped connection is tried again twice, a second and two apart. Status messages are
/// edited latest-wins: while an edit waits for its slot, newer text replaces it.
public actor TelegramOutbox {
    public let client: BotAPIClient
    let perChat: Duration
    let overall: Duration
    private var nextForChat: [Int64: ContinuousClock.Instant] = [:]
    private var nextOverall = ContinuousClock.now
    /// Status edits waiting, by chat and message: the latest text and buttons.
    private var pendingEdits: [EditKey: (text: String, keyboard: InlineKeyboardMarkup?)] = [:]
    private var lastEdit: [EditKey: String] = [:]

    struct EditKey: Hashable {
        var chat: Int64
        var message: Int
    }

    public init(client: BotAPIClient, perChat: Duration = .seconds(BotAPILimits.messagesPerSecondPerChat),
                overall: Duration = .seconds(1) / BotAPILimits.messagesPerSecond) {
        self.client = client
        self.perChat = perChat
        self.overall = overall
    }

    /// Makes `call` in `chat`'s next slot, waiting out 429s and retrying dropped connections.
    public func send<Result: Sendable>(to chat: Int64, _ call: @Sendable (BotAPIClient) async throws(BotAPIError) -> Result) async throws(BotAPIError) -> Result {
        var drops = 0
        var limited = 0
        while true {
            await waitForSlot(chat)
            do {
                return try await call(client)
            } catch where error.code == .rateLimited && limited < 5 {
                limited += 1
                let wait = Duration.seconds(max(1, error.retryAfter ?? 1))
                // Nothing more goes to this chat (or anywhere, for a global limit) before then.
                let until = ContinuousClock.now + wait
                nextForChat[chat] = max(nextForChat[chat] ?? until, until)
                nextOverall = max(nextOverall, until)
            } catch where error.code == .unreachable && drops < 2 {
                drops += 1
                try? await Task.sleep(for: .seconds(drops))
            }
        }
    }

    /// Shows `text` in the bot's status message `message`: edited in its turn, the newest text
    /// winning over any still waiting; an edit that would change nothing is not sent.
    public func updateStatus(chat: Int64, message: Int, text: String, keyboard: InlineKeyboardMarkup? = nil) {
        let key = EditKey(chat: chat, message: message)
        let alreadyWaiting = pendingEdits[key] != nil
        pendingEdits[key] = (text, keyboard)
        guard !alreadyWaiting else { return }
        Task { await self.flush(key) }
    }

    /// Sends the waiting edit of `key` (the latest), then any newer one, until none waits.
    private func flush(_ key: EditKey) async {
        await waitForSlot(key.chat)
        guard let (text, keyboard) = pendingEdits.removeValue(forKey: key) else { return }
        let signature = text + (keyboard.map { "\($0)" } ?? "")
        guard lastEdit[key] != signature else { return }
        lastEdit[key] = signature
        let client = client
        _ = try? await sendInSlot(key.chat) { _ throws(BotAPIError) in
            try await client.editMessageText(chat: key.chat, message: key.message, text: text, keyboard: keyboard)
        }
        if pendingEdits[key] != nil { await flush(key) }
    }

    /// ``send(to:_:)`` for a call whose slot was already waited for.
    private func sendInSlot<Result: Sendable>(_ chat: Int64, _ call: @Sendable (BotAPIClient) async throws(BotAPIError) -> Result) async throws(BotAPIError) -> Result {
        do { return try await call(client) } catch where error.code == .rateLimited || error.code == .unreachable {
            return try await send(to: chat, call)
        }
    }

    /// Forgets the status messages of a chat that ended (their edits are no longer wanted).
    public func endStatus(chat: Int64, message: Int) {
        let key = EditKey(chat: chat, message: message)
        pendingEdits[key] = nil
        lastEdit[key] = nil
    }

    /// Reserves the next slot for `chat` and waits for it.
    private func waitForSlot(_ chat: Int64) async {
        let now = ContinuousClock.now
        let slot = max(now, nextForChat[chat] ?? now, nextOverall)
        nextForChat[chat] = slot + perChat
        nextOverall = slot + overall
        if slot > now { try? await Task.sleep(until: slot) }
    }
}
