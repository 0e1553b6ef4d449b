public import AsyncHTTPClient
public import Foundation
import MultipartKit
import NIOCore
import NIOHTTP1

/// A small, typed client of the Telegram Bot API over async-http-client: the methods the front
/// uses, each checked against the Bot API's limits before it is sent (``BotAPILimits``), every
/// failure a ``BotAPIError``. The base URL is configurable, as Telegram's own local Bot API server
/// allows; the token never appears in an error or a log.
public struct BotAPIClient: Sendable {
    public let baseURL: URL
    let token: String
    let http: HTTPClient
    /// How long a call may take (a long poll adds its own timeout to it).
    public var requestTimeout: Duration

    public init(token: String, baseURL: URL = URL(string: "https://api.telegram.org")!, http: HTTPClient = .shared,
                requestTimeout: Duration = .seconds(30)) {
        self.token = token
        self.baseURL = baseURL
        self.http = http
        self.requestTimeout = requestTimeout
    }

    // MARK: Methods

    /// The bot itself: a check that the token works.
    public func getMe() async throws(BotAPIError) -> User {
        try await call("getMe", Empty(), as: User.self)
    }

    /// Updates after `offset` (which acknowledges every earlier one), waiting up to `timeout`
    /// seconds for one to arrive (long polling).
    public func getUpdates(offset: Int?, timeout: Int = 30, allowedUpdates: [String] = ["message", "callback_query"]) async throws(BotAPIError) -> [Update] {
        struct Parameters: Encodable {
            var offset: Int?
            var timeout: Int
            var allowed_updates: [String]
        }
        return try await call("getUpdates", Parameters(offset: offset, timeout: timeout, allowed_updates: allowedUpdates), as: [Update].self,
                              timeout: requestTimeout + .seconds(timeout))
    }

    /// Has Telegram send updates to `url`, each with `secretToken` in `X-Telegram-Bot-Api-Secret-Token`.
    public func setWebhook(url: String, secretToken: String) async throws(BotAPIError) {
        struct Parameters: Encodable {
            var url: String
            var secret_token: String
            var allowed_updates = ["message", "callback_query"]
        }
        _ = try await call("setWebhook", Parameters(url: url, secret_token: secretToken), as: Bool.self)
    }

    /// Stops webhook delivery (so that getUpdates works).
    public func deleteWebhook() async throws(BotAPIError) {
        _ = try await call("deleteWebhook", Empty(), as: Bool.self)
    }

    /// Sends a text message, with buttons under it when given.
    public func sendMessage(chat: Int64, text: String, keyboard: InlineKeyboardMarkup? = nil) async throws(BotAPIError) -> Message {
        try Self.check(text: text, method: "sendMessage")
        try Self.check(keyboard, method: "sendMessage")
        struct Parameters: Encodable {
            var chat_id: Int64
            var text: String
            var reply_markup: InlineKeyboardMarkup?
        }
        return try await call("sendMessage", Parameters(chat_id: chat, text: text, reply_markup: keyboard), as: Message.self)
    }

    /// Replaces a message's text (and its buttons: none when `keyboard` is `nil`).
    public func editMessageText(chat: Int64, message: Int, text: String, keyboard: InlineKeyboardMarkup? = nil) async throws(BotAPIError) -> Message {
        try Self.check(text: text, method: "editMessageText")
        try Self.check(keyboard, method: "editMessageText")
        struct Parameters: Encodable {
            var chat_id: Int64
            var message_id: Int
            var text: String
            var reply_markup: InlineKeyboardMarkup?
        }
        return try await call("editMessageText", Parameters(chat_id: chat, message_id: message, text: text, reply_markup: keyboard), as: Message.self)
    }

    /// Answers a button press (stops the client's spinner), with a short notice when given.
    public func answerCallbackQuery(_ id: String, text: String? = nil) async throws(BotAPIError) {
        if let text, text.count > BotAPILimits.callbackAnswerLength {
            throw BotAPIError(.overLimit, method: "answerCallbackQuery", message: "the answer is \(text.count) characters, over \(BotAPILimits.callbackAnswerLength)")
        }
        struct Parameters: Encodable {
            var callback_query_id: String
            var text: String?
        }
        _ = try await call("answerCallbackQuery", Parameters(callback_query_id: id, text: text), as: Bool.self)
    }

    /// Sends an image as a photo (at most 10 MB; Telegram recompresses it).
    public func sendPhoto(chat: Int64, photo: Data, fileName: String, caption: String? = nil,
                          keyboard: InlineKeyboardMarkup? = nil) async throws(BotAPIError) -> Message {
        try Self.check(bytes: photo.count, limit: BotAPILimits.photoBytes, what: "photo", method: "sendPhoto")
        try Self.check(caption: caption, method: "sendPhoto")
        try Self.check(keyboard, method: "sendPhoto")
        let fields = try Self.fields(chat: chat, caption: caption, keyboard: keyboard, method: "sendPhoto")
        return try await upload("sendPhoto", fields: fields, files: [Upload(field: "photo", fileName: fileName, bytes: photo)], as: Message.self)
    }

    /// Sends a file as a document (at most 50 MB; sent as it is).
    public func sendDocument(chat: Int64, document: Data, fileName: String, caption: String? = nil,
                             keyboard: InlineKeyboardMarkup? = nil) async throws(BotAPIError) -> Message {
        try Self.check(bytes: document.count, limit: BotAPILimits.documentBytes, what: "document", method: "sendDocument")
        try Self.check(caption: caption, method: "sendDocument")
        try Self.check(keyboard, method: "sendDocument")
        let fields = try Self.fields(chat: chat, caption: caption, keyboard: keyboard, method: "sendDocument")
        return try await upload("sendDocument", fields: fields, files: [Upload(field: "document", fileName: fileName, bytes: document)],
                                as: Message.self)
    }

    /// Sends 2 to 10 photos as one album, each with its caption.
    public func sendMediaGroup(chat: Int64, photos: [(bytes: Data, fileName: String, caption: String?)]) async throws(BotAPIError) -> [Message] {
        guard BotAPILimits.mediaGroup.contains(photos.count) else {
            throw BotAPIError(.overLimit, method: "sendMediaGroup", message: "a media group holds 2 to 10 items, not \(photos.count)")
        }
        struct InputMediaPhoto: Encodable {
            var type = "photo"
            var media: String
            var caption: String?
        }
        var media: [InputMediaPhoto] = []
        var files: [Upload] = []
        for (index, photo) in photos.enumerated() {
            try Self.check(bytes: photo.bytes.count, limit: BotAPILimits.photoBytes, what: "photo \(index + 1)", method: "sendMediaGroup")
            try Self.check(caption: photo.caption, method: "sendMediaGroup")
            media.append(InputMediaPhoto(media: "attach://photo\(index)", caption: photo.caption))
            files.append(Upload(field: "photo\(index)", fileName: photo.fileName, bytes: photo.bytes))
        }
        let fields = [("chat_id", String(chat)), ("media", try Self.json(media, method: "sendMediaGroup"))]
        return try await upload("sendMediaGroup", fields: fields, files: files, as: [Message].self)
    }

    /// A file's download path and size.
    public func getFile(_ id: String) async throws(BotAPIError) -> File {
        struct Parameters: Encodable { var file_id: String }
        return try await call("getFile", Parameters(file_id: id), as: File.self)
    }

    /// A file's bytes; refused (``BotAPIError/Code/overLimit``) past `limit` bytes, announced or read.
    public func download(_ file: File, limit: Int = BotAPILimits.downloadBytes) async throws(BotAPIError) -> Data {
        if let size = file.fileSize, size > limit {
            throw BotAPIError(.overLimit, method: "getFile", message: "the file is \(size) bytes, over the \(limit) allowed")
        }
        guard let path = file.filePath else { throw BotAPIError(.malformed, method: "getFile", message: "the file has no file_path to download") }
        let request = HTTPClientRequest(url: baseURL.appendingPathComponent("file/bot\(token)/\(path)").absoluteString)
        do {
            let response = try await http.execute(request, timeout: .seconds(Int64(requestTimeout.components.seconds)))
            guard response.status == .ok else {
                throw BotAPIError(response.status.code >= 500 ? .unreachable : .refused, method: "getFile", status: Int(response.status.code),
                                  message: "the file could not be downloaded (HTTP \(response.status.code))")
            }
            let body = try await response.body.collect(upTo: limit)
            return Data(body.readableBytesView)
        } catch let error as BotAPIError {
            throw error
        } catch is NIOTooManyBytesError {
            throw BotAPIError(.overLimit, method: "getFile", message: "the file is over the \(limit) bytes allowed")
        } catch {
            throw BotAPIError(.unreachable, method: "getFile", message: Self.network(error))
        }
    }

    // MARK: Calls

    private struct Empty: Codable, Sendable {}

    /// One file of a multipart upload.
    struct Upload {
        var field: String
        var fileName: String
        var bytes: Data
    }

    /// POSTs `parameters` as JSON to `method` and decodes its result.
    func call<Result: Codable & Sendable>(_ method: String, _ parameters: some Encodable, as: Result.Type,
                                          timeout: Duration? = nil) async throws(BotAPIError) -> Result {
        var request = HTTPClientRequest(url: url(method))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try Self.encode(parameters, method: method)))
        return try await send(request, method: method, timeout: timeout)
    }

    /// POSTs `fields` and `files` as multipart/form-data to `method` and decodes its result.
    func upload<Result: Codable & Sendable>(_ method: String, fields: [(String, String)], files: [Upload],
                                            as: Result.Type) async throws(BotAPIError) -> Result {
        let boundary = "darkroom-" + UUID().uuidString
        var parts = fields.map { name, value in
            MultipartPart(headers: ["Content-Disposition": "form-data; name=\"\(name)\""], body: ByteBuffer(string: value))
        }
        for file in files {
            let safeName = file.fileName.replacingOccurrences(of: "\"", with: "")
            parts.append(MultipartPart(headers: ["Content-Disposition": "form-data; name=\"\(file.field)\"; filename=\"\(safeName)\"",
                                                 "Content-Type": "application/octet-stream"],
                                       body: ByteBuffer(bytes: file.bytes)))
        }
        var body = ByteBuffer()
        do { try MultipartSerializer().serialize(parts: parts, boundary: boundary, into: &body) } catch {
            throw BotAPIError(.malformed, method: method, message: "the upload could not be encoded: \(error)")
        }
        var request = HTTPClientRequest(url: url(method))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "multipart/form-data; boundary=\(boundary)")
        request.body = .bytes(body)
        return try await send(request, method: method, timeout: requestTimeout + .seconds(60))
    }

    private func send<Result: Codable & Sendable>(_ request: HTTPClientRequest, method: String, timeout: Duration?) async throws(BotAPIError) -> Result {
        let limit = timeout ?? requestTimeout
        let body: ByteBuffer
        let status: UInt
        do {
            let response = try await http.execute(request, timeout: .milliseconds(Int64(limit.components.seconds * 1_000
                                                                                         + limit.components.attoseconds / 1_000_000_000_000_000)))
            status = response.status.code
            body = try await response.body.collect(upTo: 16 << 20)
        } catch {
            throw BotAPIError(.unreachable, method: method, message: Self.network(error))
        }
        let answer: BotAPIResponse<Result>
        do { answer = try JSONDecoder().decode(BotAPIResponse<Result>.self, from: Data(body.readableBytesView)) } catch {
            throw BotAPIError(status >= 500 ? .unreachable : .malformed, method: method, status: Int(status),
                              message: "the answer (HTTP \(status)) is not a Bot API answer")
        }
        guard answer.ok else {
            throw BotAPIError(method: method, status: answer.errorCode ?? Int(status), description: answer.description ?? "refused",
                              parameters: answer.parameters)
        }
        guard let result = answer.result else { throw BotAPIError(.malformed, method: method, message: "the answer has no result") }
        return result
    }

    private func url(_ method: String) -> String {
        baseURL.appendingPathComponent("bot\(token)/\(method)").absoluteString
    }
}
