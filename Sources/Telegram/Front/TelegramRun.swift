import Foundation
import Media
import Studio
import Workflows

/// One generation as its chat sees it: a status message edited as the job goes (held, queued
/// with its position and wait, running with its steps, finishing) with a cancel button, then the
/// images — a photo, a document when it is too large for one, an album for a batch — with the
/// seed and settings in the caption, and an "again" button.
struct TelegramRun: Sendable {
    let chat: Int64
    let job: String
    let outbox: TelegramOutbox
    private let status: TelegramStatus

    init(chat: Int64, status: Int, job: String, outbox: TelegramOutbox) {
        self.chat = chat
        self.job = job
        self.outbox = outbox
        self.status = TelegramStatus(chat: chat, message: status, outbox: outbox)
    }

    private var cancel: InlineKeyboardMarkup { InlineKeyboardMarkup([[InlineKeyboardButton("Cancel", data: "cancel:\(job)")]]) }
    private var again: InlineKeyboardMarkup {
        InlineKeyboardMarkup([[InlineKeyboardButton("Again, new seed", data: "again:\(job)"), InlineKeyboardButton("Keep", data: "keep:\(job)")]])
    }

    func show(_ progress: MakeImage.Progress) {
        guard let text = TelegramWording.status(progress) else { return }
        status.show(text, keyboard: cancel)
    }

    func deliver(_ result: TelegramDelivery, media: MediaService, owner: UserID) async {
        status.end(TelegramWording.done(result), keyboard: again)
        var images: [(bytes: Data, record: MediaRecord)] = []
        for id in result.media {
            guard let (record, bytes) = try? await media.data(id, owner: owner) else { continue }
            images.append((bytes, record))
        }
        let caption = TelegramWording.caption(result, first: images.first?.record)
        let (chat, outbox) = (chat, outbox)
        if images.count > 1, images.allSatisfy({ Self.fitsAPhoto($0.record) }) {
            let items = images.prefix(BotAPILimits.mediaGroup.upperBound).enumerated().map { index, image in
                (bytes: image.bytes, fileName: "\(result.job)-\(index + 1).\(image.record.format)", caption: index == 0 ? caption : nil)
            }
            _ = try? await outbox.send(to: chat) { client throws(BotAPIError) in try await client.sendMediaGroup(chat: chat, photos: items) }
            return
        }
        for (index, image) in images.enumerated() {
            let name = "\(result.job)-\(index + 1).\(image.record.format)"
            if Self.fitsAPhoto(image.record) {
                _ = try? await outbox.send(to: chat) { client throws(BotAPIError) in
                    try await client.sendPhoto(chat: chat, photo: image.bytes, fileName: name, caption: caption)
                }
            } else if image.bytes.count <= BotAPILimits.documentBytes {
                _ = try? await outbox.send(to: chat) { client throws(BotAPIError) in
                    try await client.sendDocument(chat: chat, document: image.bytes, fileName: name, caption: caption)
                }
            } else {
                _ = try? await outbox.send(to: chat) { client throws(BotAPIError) in
                    try await client.sendMessage(chat: chat, text: "Image \(index + 1) is \(image.bytes.count / 1_048_576) MB, too large for Telegram; it is kept as \(image.record.id).")
                }
            }
        }
    }

    func fail(_ error: any Error) async {
        status.end(TelegramWording.failure(error))
    }

    /// Whether Telegram takes the image as a photo: at most 10 MB, width and height adding up to
    /// at most 10 000, a ratio of at most 20.
    static func fitsAPhoto(_ record: MediaRecord) -> Bool {
        guard record.byteCount <= BotAPILimits.photoBytes, let width = record.width, let height = record.height,
              width > 0, height > 0, width + height <= BotAPILimits.photoSideSum else { return false }
        return max(width, height) / min(width, height) <= 20 && ["jpeg", "png", "webp"].contains(record.format)
    }
}
