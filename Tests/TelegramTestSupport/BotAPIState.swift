import Foundation
import Telegram
import TestSupport

/// What the Bot API stand-in knows: the updates it delivers, the messages the bot sent (so that
/// edits are checked as the real API checks them), the files users sent, every call, and the
/// failures a test asked for.
actor BotAPIState {
    /// Runs on a queue of its own, never on the thread of a test that calls in (see `ServerExecutor`).
    private let executor = ServerExecutor("bot-api-stand-in")
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// One call as the stand-in received it.
    struct Call: Sendable {
        var method: String
        /// Every parameter as text (JSON values re-encoded), as a form would carry it.
        var parameters: [String: String]
        /// Uploaded files by field: their sizes.
        var files: [String: Int]
        var at: ContinuousClock.Instant
    }

    /// A failure to answer the next calls of a method with.
    enum Failure: Sendable {
        case error(status: Int, description: String, retryAfter: Int?)
        /// The connection is dropped before any answer.
        case drop
    }

    let token: String
    let bot = User(id: 7_000_000_001, isBot: true, firstName: "Darkroom", username: "darkroom_test_bot")
    private(set) var calls: [Call] = []
    private var updates: [Update] = []
    private var nextUpdateID = 100
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var polling = false
    private(set) var webhook: (url: String, secret: String)?
    private var failures: [String: [Failure]] = [:]
    private var nextMessageID = 1
    /// The bot's messages by chat and id: their text and buttons, as the last edit left them.
    private(set) var sent: [Int64: [Int: (text: String?, markup: String?)]] = [:]
    private(set) var files: [String: Data] = [:]

    init(token: String) { self.token = token }

    // MARK: What a test does

    func deliver(_ build: (Int) -> Update) -> Update {
        let update = build(nextUpdateID)
        nextUpdateID += 1
        updates.append(update)
        for waiter in waiting { waiter.resume() }
        waiting = []
        return update
    }

    func fail(_ method: String, with failure: Failure, times: Int) {
        failures[method, default: []] += Array(repeating: failure, count: times)
    }

    func addFile(_ id: String, bytes: Data) { files[id] = bytes }

    // MARK: What the routes do

    func record(_ call: Call) { calls.append(call) }

    /// The failure the next call of `method` meets, if one was asked for.
    func takeFailure(_ method: String) -> Failure? {
        guard var queued = failures[method], !queued.isEmpty else { return nil }
        let first = queued.removeFirst()
        failures[method] = queued
        return first
    }

    /// getUpdates: forgets what `offset` acknowledges, then answers what is left, waiting up to
    /// `timeout` seconds for something to arrive. `nil` when another poll is already waiting.
    func poll(offset: Int?, timeout: Int, limit: Int) async -> [Update]? {
        if let offset { updates.removeAll { $0.updateID < offset } }
        if updates.isEmpty, timeout > 0 {
            guard !polling else { return nil }
            polling = true
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                waiting.append(continuation)
                Task {
                    try? await Task.sleep(for: .seconds(timeout))
                    await self.wakePollers()
                }
            }
            polling = false
            if let offset { updates.removeAll { $0.updateID < offset } }
        }
        return Array(updates.prefix(limit))
    }

    private func wakePollers() {
        for waiter in waiting { waiter.resume() }
        waiting = []
    }

    func setWebhook(url: String, secret: String) { webhook = (url, secret) }
    func deleteWebhook() { webhook = nil }

    /// Records a message the bot sent and returns its id.
    func send(to chat: Int64, text: String?, markup: String?) -> Int {
        let id = nextMessageID
        nextMessageID += 1
        sent[chat, default: [:]][id] = (text, markup)
        return id
    }

    /// Applies an edit; the Bot API's own refusals when the message is not there or unchanged.
    func edit(chat: Int64, message: Int, text: String, markup: String?) -> String? {
        guard let current = sent[chat]?[message] else { return "Bad Request: message to edit not found" }
        if current.text == text && current.markup == markup {
            return "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"
        }
        sent[chat]?[message] = (text, markup)
        return nil
    }
}
