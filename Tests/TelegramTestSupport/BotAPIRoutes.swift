import Foundation
import Hummingbird
import NIOCore
import Telegram
import TestSupport

/// The Bot API's routes as the stand-in answers them: `POST /bot<token>/<method>` (JSON or
/// multipart) and `GET /file/bot<token>/<path>`, in the Bot API's own shapes, refusing what the
/// real API refuses.
enum BotAPIRoutes {
    static func register(on router: Router<StandInContext>, state: BotAPIState) {
        router.post("/:bot/:method") { request, context in
            let bot = context.parameters.get("bot") ?? "", method = context.parameters.get("method") ?? ""
            guard bot == "bot" + state.token else { return error(401, "Unauthorized") }
            let body = try await request.body.collect(upTo: 80 << 20)
            let (parameters, files) = decode(Data(body.readableBytesView), contentType: request.headers[.contentType] ?? "")
            await state.record(.init(method: method, parameters: parameters, files: files.mapValues(\.count), at: .now))
            switch await state.takeFailure(method) {
            case .error(let status, let description, let retryAfter)?: return error(status, description, retryAfter: retryAfter)
            case .drop?:
                context.channel.close(promise: nil)
                return Response(status: .ok)
            case nil: break
            }
            return await answer(method, parameters, files, state)
        }
        router.get("/file/:bot/**") { _, context in
            guard context.parameters.get("bot") == "bot" + state.token else { return error(401, "Unauthorized") }
            let path = context.parameters.getCatchAll().joined(separator: "/")
            guard path.hasPrefix("files/"), let bytes = await state.files[String(path.dropFirst("files/".count))] else {
                return Response(status: .notFound)
            }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }

    private static func answer(_ method: String, _ parameters: [String: String], _ files: [String: Data], _ state: BotAPIState) async -> Response {
        let chat = parameters["chat_id"].flatMap { Int64($0) } ?? 0
        if let refusal = refusal(method, parameters, files) { return error(400, refusal) }
        switch method {
        case "getMe":
            return ok(state.bot)
        case "getUpdates":
            if await state.webhook != nil { return error(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first") }
            let offset = parameters["offset"].flatMap { Int($0) }
            let timeout = min(parameters["timeout"].flatMap { Int($0) } ?? 0, 50)
            guard let updates = await state.poll(offset: offset, timeout: timeout, limit: parameters["limit"].flatMap { Int($0) } ?? 100) else {
                return error(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")
            }
            return ok(updates)
        case "setWebhook":
            await state.setWebhook(url: parameters["url"] ?? "", secret: parameters["secret_token"] ?? "")
            return ok(true)
        case "deleteWebhook":
            await state.deleteWebhook()
            return ok(true)
        case "sendMessage":
            let id = await state.send(to: chat, text: parameters["text"], markup: parameters["reply_markup"])
            return ok(message(id, chat: chat, state: state, text: parameters["text"]))
        case "editMessageText":
            let id = parameters["message_id"].flatMap { Int($0) } ?? 0
            if let refusal = await state.edit(chat: chat, message: id, text: parameters["text"] ?? "", markup: parameters["reply_markup"]) {
                return error(400, refusal)
            }
            return ok(message(id, chat: chat, state: state, text: parameters["text"]))
        case "answerCallbackQuery":
            return ok(true)
        case "sendPhoto", "sendDocument":
            let id = await state.send(to: chat, text: parameters["caption"], markup: parameters["reply_markup"])
            var sent = message(id, chat: chat, state: state, text: nil)
            sent.caption = parameters["caption"]
            if method == "sendPhoto" { sent.photo = [PhotoSize(fileID: "sent-\(id)", fileUniqueID: "u-sent-\(id)", width: 64, height: 64)] }
            else { sent.document = Document(fileID: "sent-\(id)", fileUniqueID: "u-sent-\(id)", fileName: "image", fileSize: files.values.first?.count) }
            return ok(sent)
        case "sendMediaGroup":
            var album: [Message] = []
            for _ in mediaGroup(parameters) {
                let id = await state.send(to: chat, text: nil, markup: nil)
                var sent = message(id, chat: chat, state: state, text: nil)
                sent.photo = [PhotoSize(fileID: "sent-\(id)", fileUniqueID: "u-sent-\(id)", width: 64, height: 64)]
                album.append(sent)
            }
            return ok(album)
        case "getFile":
            let id = parameters["file_id"] ?? ""
            guard let bytes = await state.files[id] else { return error(400, "Bad Request: invalid file_id") }
            guard bytes.count <= BotAPILimits.downloadBytes else { return error(400, "Bad Request: file is too big") }
            return ok(File(fileID: id, fileUniqueID: "u-\(id)", fileSize: bytes.count, filePath: "files/\(id)"))
        default:
            return error(404, "Not Found")
        }
    }

    /// What the real API refuses with 400 before doing anything.
    private static func refusal(_ method: String, _ parameters: [String: String], _ files: [String: Data]) -> String? {
        if let text = parameters["text"] ?? (["sendMessage", "editMessageText"].contains(method) ? "" : nil) {
            if text.isEmpty { return "Bad Request: message text is empty" }
            if text.utf16.count > BotAPILimits.textLength { return "Bad Request: message is too long" }
        }
        if let caption = parameters["caption"], caption.utf16.count > BotAPILimits.captionLength { return "Bad Request: message caption is too long" }
        if let markup = parameters["reply_markup"], let keyboard = try? JSONDecoder().decode(InlineKeyboardMarkup.self, from: Data(markup.utf8)),
           keyboard.inlineKeyboard.joined().contains(where: { !(1...BotAPILimits.callbackDataBytes).contains($0.callbackData?.utf8.count ?? 0) }) {
            return "Bad Request: BUTTON_DATA_INVALID"
        }
        if let text = parameters["text"], method == "answerCallbackQuery", text.count > BotAPILimits.callbackAnswerLength {
            return "Bad Request: MESSAGE_TOO_LONG"
        }
        switch method {
        case "sendPhoto":
            guard let photo = files["photo"] else { return "Bad Request: there is no photo in the request" }
            if photo.count > BotAPILimits.photoBytes { return "Bad Request: PHOTO_INVALID_DIMENSIONS" }
        case "sendDocument":
            guard let document = files["document"] else { return "Bad Request: there is no document in the request" }
            if document.count > BotAPILimits.documentBytes { return "Request Entity Too Large" }
        case "sendMediaGroup":
            let media = mediaGroup(parameters)
            if media.count < BotAPILimits.mediaGroup.lowerBound { return "Bad Request: there must be at least 2 media in the group" }
            if media.count > BotAPILimits.mediaGroup.upperBound { return "Bad Request: too many media in the group" }
            for item in media {
                guard let name = item["media"]?.replacingOccurrences(of: "attach://", with: ""), let file = files[name] else {
                    return "Bad Request: wrong file identifier/HTTP URL specified"
                }
                if file.count > BotAPILimits.photoBytes { return "Bad Request: PHOTO_INVALID_DIMENSIONS" }
                if let caption = item["caption"], caption.utf16.count > BotAPILimits.captionLength { return "Bad Request: message caption is too long" }
            }
        default: break
        }
        return nil
    }

    private static func mediaGroup(_ parameters: [String: String]) -> [[String: String]] {
        (try? JSONDecoder().decode([[String: String]].self, from: Data((parameters["media"] ?? "[]").utf8))) ?? []
    }

    private static func message(_ id: Int, chat: Int64, state: BotAPIState, text: String?) -> Message {
        Message(messageID: id, from: state.bot, chat: Chat(id: chat), date: Int(Date().timeIntervalSince1970), text: text)
    }

    /// The parameters as text and the uploaded files, from a JSON or a multipart body.
    private static func decode(_ body: Data, contentType: String) -> ([String: String], [String: Data]) {
        if contentType.hasPrefix("multipart/form-data") {
            var fields: [String: String] = [:], files: [String: Data] = [:]
            for part in MultipartParser.parse(body, contentType: contentType) ?? [] {
                if part.filename != nil { files[part.name] = part.data } else { fields[part.name] = String(decoding: part.data, as: UTF8.self) }
            }
            return (fields, files)
        }
        guard !body.isEmpty, let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else { return ([:], [:]) }
        var fields: [String: String] = [:]
        for (key, value) in object where !(value is NSNull) {
            if let text = value as? String { fields[key] = text }
            else if let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys]) {
                fields[key] = String(decoding: data, as: UTF8.self)
            }
        }
        return (fields, [:])
    }

    private static func ok<Result: Codable & Sendable>(_ result: Result) -> Response {
        json(BotAPIResponse(ok: true, result: result), status: .ok)
    }

    static func error(_ status: Int, _ description: String, retryAfter: Int? = nil) -> Response {
        json(BotAPIResponse<Bool>(ok: false, errorCode: status, description: description,
                                  parameters: retryAfter.map { ResponseParameters(retryAfter: $0) }),
             status: HTTPResponse.Status(code: status))
    }

    private static func json(_ value: some Encodable, status: HTTPResponse.Status) -> Response {
        let data = (try? JSONEncoder().encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
