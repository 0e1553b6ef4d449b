public import Foundation
import AsyncHTTPClient
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
public import Telegram
import TestSupport

/// A stand-in for the Telegram Bot API on 127.0.0.1: it answers in the Bot API's own shapes
/// (`{"ok": true, "result": …}`; errors with `error_code`, `description` and
/// `parameters.retry_after`), refuses what the real API refuses (over-long texts, captions and
/// callback data, files over the limits, edits of missing or unchanged messages, getUpdates
/// while a webhook is set), delivers the updates a test scripts, can answer 429s and drop
/// connections on demand, and records every call.
public final class BotAPIStandIn: Sendable {
    public let token: String
    /// The base URL to give `BotAPIClient`.
    public let url: URL
    let state: BotAPIState
    private let task: Task<Void, any Error>

    private init(token: String, url: URL, state: BotAPIState, task: Task<Void, any Error>) {
        self.token = token
        self.url = url
        self.state = state
        self.task = task
    }

    /// Starts the stand-in on a free loopback port.
    public static func start(token: String = "7000000001:test-token") async throws -> BotAPIStandIn {
        let state = BotAPIState(token: token)
        let router = Router(context: StandInContext.self)
        BotAPIRoutes.register(on: router, state: state)
        var logger = Logger(label: "bot-api-stand-in")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
        let task = Task.server { try await app.runService() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        return BotAPIStandIn(token: token, url: URL(string: "http://127.0.0.1:\(port)")!, state: state, task: task)
    }

    public func stop() { task.cancel() }

    /// A client of this stand-in.
    public func client(requestTimeout: Duration = .seconds(60)) -> BotAPIClient {
        BotAPIClient(token: token, baseURL: url, requestTimeout: requestTimeout)
    }

    // MARK: Updates

    /// Delivers a text message from `user` in their private chat; returns the update.
    @discardableResult
    public func send(_ text: String, from user: User) async -> Update {
        await state.deliver { id in
            Update(updateID: id, message: Message(messageID: 10_000 + id, from: user, chat: Chat(id: user.id), date: Self.now, text: text))
        }
    }

    /// Delivers a photo from `user` (stored as file `fileID`, its bytes what a download gets).
    @discardableResult
    public func sendPhoto(_ bytes: Data, width: Int, height: Int, from user: User, caption: String? = nil) async -> Update {
        let fileID = "photo-\(UUID().uuidString.prefix(8))"
        await state.addFile(fileID, bytes: bytes)
        return await state.deliver { id in
            Update(updateID: id, message: Message(messageID: 10_000 + id, from: user, chat: Chat(id: user.id), date: Self.now, caption: caption,
                                                  photo: [PhotoSize(fileID: fileID, fileUniqueID: "u-\(fileID)", width: width, height: height,
                                                                    fileSize: bytes.count)]))
        }
    }

    /// Delivers a press of the button carrying `data` under the bot's message `message` in `user`'s
    /// chat; the query carries that message with its text, as Telegram's does.
    @discardableResult
    public func press(_ data: String, on message: Int, from user: User) async -> Update {
        let text = await text(of: message, in: user.id)
        return await state.deliver { id in
            // Telegram's callback query ids are 19-digit numbers.
            Update(updateID: id, callbackQuery: CallbackQuery(id: String(4_382_101_592_395_285_000 + Int64(id)), from: user,
                                                              message: Message(messageID: message, from: nil, chat: Chat(id: user.id), date: Self.now,
                                                                               text: text),
                                                              data: data))
        }
    }

    /// Presses the button carrying `data` on the newest message the bot sent `user` that has it;
    /// nil (and nothing pressed) when no message has it.
    @discardableResult
    public func press(_ data: String, from user: User) async -> Update? {
        guard let message = await state.sent[user.id]?.filter({ $0.value.markup?.contains("\"\(data)\"") == true }).keys.max() else { return nil }
        return await press(data, on: message, from: user)
    }

    // MARK: Failures

    /// The next `times` calls of `method` are answered 429 with `retry_after`.
    public func rateLimit(_ method: String, retryAfter: Int, times: Int = 1) async {
        await state.fail(method, with: .error(status: 429, description: "Too Many Requests: retry after \(retryAfter)", retryAfter: retryAfter), times: times)
    }

    /// The next `times` calls of `method` get their connection dropped with no answer.
    public func drop(_ method: String, times: Int = 1) async {
        await state.fail(method, with: .drop, times: times)
    }

    /// The next `times` calls of `method` are refused with `status` and `description`.
    public func refuse(_ method: String, status: Int, description: String, times: Int = 1) async {
        await state.fail(method, with: .error(status: status, description: description, retryAfter: nil), times: times)
    }

    // MARK: What the bot did

    /// One call the stand-in received.
    public struct Call: Sendable {
        public var method: String
        public var parameters: [String: String]
        /// Uploaded files by field: their sizes in bytes.
        public var files: [String: Int]
        public var at: ContinuousClock.Instant
    }

    /// Every call, oldest first (of `method` only, when given).
    public func calls(_ method: String? = nil) async -> [Call] {
        await state.calls.filter { method == nil || $0.method == method }
            .map { Call(method: $0.method, parameters: $0.parameters, files: $0.files, at: $0.at) }
    }

    /// The text (or caption) of the bot's message `id` in `chat`, as its last edit left it.
    public func text(of id: Int, in chat: Int64) async -> String? {
        await state.sent[chat]?[id]?.text ?? nil
    }

    /// The texts the bot sent to `user`'s private chat, oldest first.
    public func texts(to user: User) async -> [String] {
        await calls("sendMessage").filter { $0.parameters["chat_id"] == String(user.id) }.compactMap { $0.parameters["text"] }
    }

    /// The webhook set, if any: its URL and secret token.
    public func webhook() async -> (url: String, secret: String)? { await state.webhook }

    /// Posts `update` to the webhook set, as Telegram does, with `secret` in
    /// `X-Telegram-Bot-Api-Secret-Token` (default: the one set; `""`: none); the status answered.
    public func post(_ update: Update, secret: String? = nil) async throws -> Int {
        guard let webhook = await state.webhook else { throw WebhookNotSet() }
        var request = HTTPClientRequest(url: webhook.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        let token = secret ?? webhook.secret
        if !token.isEmpty { request.headers.add(name: TelegramWebhook.secretHeader, value: token) }
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(update)))
        return Int(try await HTTPClient.shared.execute(request, timeout: .seconds(120)).status.code)
    }

    /// ``post(_:secret:)`` before a webhook was set.
    public struct WebhookNotSet: Error {}

    static var now: Int { Int(Date().timeIntervalSince1970) }
}
