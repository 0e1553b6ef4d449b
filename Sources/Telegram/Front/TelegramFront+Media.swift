import Foundation
import Media
import Studio
import Vips
import Workflows

/// A photo sent to the bot: downloaded through `getFile` (at most 20 MB, and within the Media
/// service's own limits), stored as the user's media, and offered a keyboard of operations; a
/// press runs mediaProcessing and sends the result back.
extension TelegramFront {
    func receivePhoto(_ message: Message, for user: UserID) async throws {
        let chat = message.chat.id, deps = dependencies
        guard let file = Self.largestFile(of: message) else { return }
        let limit = min(BotAPILimits.downloadBytes, deps.media.policy.limits.maxInputBytes)
        if let announced = file.size, announced > limit {
            throw WorkflowError(.mediaTooLarge, "it is \(announced / 1_048_576) MB; the most I can take is \(limit / 1_048_576) MB")
        }
        let bytes = try await Self.download(file.id, limit: limit, with: deps.outbox.client)
        let record = try await deps.media.add(bytes, owner: user, source: "telegram")
        let size = record.width.flatMap { w in record.height.map { " (\(w)×\($0))" } } ?? ""
        var text = "Got it\(size). What should I do with it?"
        // The photo's caption, read back if the photo goes into a dataset.
        if let caption = message.caption?.trimmingCharacters(in: .whitespacesAndNewlines), !caption.isEmpty {
            text += "\n" + TelegramWording.captionPrefix + caption.replacingOccurrences(of: "\n", with: " ")
        }
        let keyboard = Self.mediaKeyboard(record.id, drafts: await draftsOffered(to: user))
        _ = try await deps.outbox.send(to: chat) { [text] client throws(BotAPIError) in
            try await client.sendMessage(chat: chat, text: text, keyboard: keyboard)
        }
    }

    /// A processed image: as a photo when Telegram takes it as one without spoiling it (a PNG, whose
    /// point is often its exact pixels or its alpha, goes as a document), else as a document.
    private static func sendResult(_ record: MediaRecord, bytes: Data, to chat: Int64, outbox: TelegramOutbox) async throws {
        let name = "\(record.id).\(record.format)"
        let caption: String? = if let width = record.width, let height = record.height { "\(width)×\(height) \(record.format)" } else { nil }
        let asPhoto: Bool = TelegramRun.fitsAPhoto(record) && record.format != "png"
        if asPhoto {
            _ = try await outbox.send(to: chat) { client throws(BotAPIError) -> Message in
                try await client.sendPhoto(chat: chat, photo: bytes, fileName: name, caption: caption)
            }
        } else {
            _ = try await outbox.send(to: chat) { client throws(BotAPIError) -> Message in
                try await client.sendDocument(chat: chat, document: bytes, fileName: name, caption: caption)
            }
        }
    }

    /// The largest size of a photo, or a file sent as a document: its id and announced size.
    static func largestFile(of message: Message) -> (id: String, size: Int?)? {
        if let photo = message.photo?.max(by: { $0.width * $0.height < $1.width * $1.height }) {
            return (photo.fileID, photo.fileSize)
        }
        if let document = message.document { return (document.fileID, document.fileSize) }
        return nil
    }

    /// The bytes of a user's file, within `limit`.
    private static func download(_ fileID: String, limit: Int, with client: BotAPIClient) async throws -> Data {
        let result: Result<Data, BotAPIError> = await {
            do throws(BotAPIError) {
                let file = try await client.getFile(fileID)
                return .success(try await client.download(file, limit: limit))
            } catch {
                return .failure(error)
            }
        }()
        switch result {
        case .success(let data): return data
        case .failure(let error) where error.code == .overLimit:
            throw WorkflowError(.mediaTooLarge, "the most I can take is \(limit / 1_048_576) MB")
        case .failure(let error): throw error
        }
    }

    /// What can be done with a photo: the operations, "Keep" (into a collection), and "Add to …"
    /// for each of `drafts` (datasets in the making).
    static func mediaKeyboard(_ media: String, drafts: [TrainingDataset] = []) -> InlineKeyboardMarkup {
        func button(_ label: String, _ operation: String) -> InlineKeyboardButton { InlineKeyboardButton(label, data: "proc:\(media):\(operation)") }
        return InlineKeyboardMarkup([
            [button("Resize to 1024", "r1024"), button("Resize to 512", "r512")],
            [button("JPEG", "jpeg"), button("PNG", "png"), button("WebP", "webp")],
            [button("Square crop", "square"), InlineKeyboardButton("Keep", data: "keep:\(media)")],
            [button("Upscale 2×", "up2"), button("Remove background", "rmbg")],
        ] + drafts.map { [InlineKeyboardButton("Add to \($0.name.prefix(40))", data: "slot:\(reference($0.id)):\(media)")] })
    }

    /// The operation a media button names.
    static func operation(_ name: String) -> MediaOperation? {
        switch name {
        case "r1024": return MediaOperation.resize(width: 1024, height: 1024, fit: TransformStep.Fit.fit)
        case "r512": return MediaOperation.resize(width: 512, height: 512, fit: TransformStep.Fit.fit)
        case "jpeg": return MediaOperation.format(OutputSpec(format: ImageFormat.jpeg))
        case "png": return MediaOperation.format(OutputSpec(format: ImageFormat.png))
        case "webp": return MediaOperation.format(OutputSpec(format: ImageFormat.webp))
        case "square": return MediaOperation.thumbnail(size: 1024, crop: CropStrategy.attention)
        case "up2": return MediaOperation.upscale(scale: 2, template: nil)
        case "rmbg": return MediaOperation.removeBackground(template: nil)
        default: return nil
        }
    }

    /// A media button: "proc:<media>:<operation>". Runs in a task of its own (an upscale takes a
    /// while; the press is answered at once), the result or a short error sent to the chat.
    func process(_ data: String, for user: UserID, in chat: Int64, query: String) -> String {
        let (media, name) = Self.button(data)
        guard let operation = Self.operation(name) else { return "That button no longer does anything." }
        let request = MediaProcessing.Request(user: user, input: .stored(media), operation: operation, job: "tg-\(dependencies.botID)-\(query)")
        let deps = dependencies
        Task { await Self.run(request, in: chat, with: deps) }
        return "Working on it…"
    }

    /// Runs the operation and sends its result. Work on ComfyUI (an upscale, a cut-out), which
    /// takes a while and costs points, gets a status message edited as it goes; the library's
    /// quick operations answer with the result alone.
    private static func run(_ request: MediaProcessing.Request, in chat: Int64, with deps: Dependencies) async {
        let status: TelegramStatus? = request.operation.localPlan == nil
            ? try? await TelegramStatus.open("\(TelegramWording.operation(request.operation)): starting…", in: chat, outbox: deps.outbox) : nil
        do {
            let result = try await deps.mediaProcessing.run(request) { progress in
                if let text = TelegramWording.status(progress, of: request.operation) { status?.show(text) }
            }
            status?.end(TelegramWording.processed(result, operation: request.operation))
            let stored = try await deps.media.data(result.output.id, owner: request.user)
            try await sendResult(stored.record, bytes: stored.data, to: chat, outbox: deps.outbox)
        } catch {
            let text = TelegramWording.failure(error)
            if let status {
                status.end(text)
                return
            }
            _ = try? await deps.outbox.send(to: chat) { client throws(BotAPIError) -> Message in
                try await client.sendMessage(chat: chat, text: text)
            }
        }
    }
}
