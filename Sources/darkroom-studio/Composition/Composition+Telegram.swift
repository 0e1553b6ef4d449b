import ArgumentParser
import ComfyUIModel
import CommandSupport
import Foundation
import HTTPTypes
import Server
import Studio
import Telegram
import Workflows

extension Composition {
    /// The Telegram bot over this composition's workflows, for `token` (checked for its shape:
    /// the bot's id is the part before the colon; a bad one is reported as `tokenSetting`),
    /// talking to the Bot API at `api`.
    func telegramBot(token: String, tokenSetting: String = "telegram.token", api: URL, servers: [URL], requestTimeout: Duration,
                     inputs: [String: JSONValue], makeImage: MakeImage, trainModel: TrainModel) throws -> TelegramBot {
        guard let botID = TelegramBot.id(ofToken: token) else {
            throw ValidationError("\(tokenSetting): not a bot token (digits, a colon, then letters, digits, _ or -, as @BotFather gives it)")
        }
        let client = BotAPIClient(token: token, baseURL: api)
        let front = TelegramFront(.init(outbox: TelegramOutbox(client: client), makeImage: makeImage,
                                        settings: userSettings(servers: servers, requestTimeout: requestTimeout),
                                        points: points, sessions: sessions, media: media,
                                        mediaProcessing: mediaProcessing(servers: servers, requestTimeout: requestTimeout),
                                        trainModel: trainModel, collections: collections(makeImage: makeImage),
                                        botID: botID, inputs: inputs, leases: leases))
        return TelegramBot(client: client, front: front, offset: TelegramOffset(cursors: storage.cursors, bot: botID), leases: leases)
    }

    /// `name=value` assignments as template inputs (`--input`, `telegram.inputs`).
    static func inputs(_ assignments: [String], setting: String) throws -> [String: JSONValue] {
        var values: [String: JSONValue] = [:]
        for assignment in assignments {
            let parts = assignment.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { throw ValidationError("\(setting): '\(assignment)' is not name=value") }
            values[String(parts[0])] = .string(String(parts[1]))
        }
        return values
    }
}

/// `POST /webhooks/telegram`: Telegram's updates, through the bot's ``TelegramWebhook``.
struct TelegramWebhookReceiver: WebhookReceiver {
    let webhook: TelegramWebhook

    var maximumBody: Int { TelegramWebhook.maximumBody }

    func receive(headers: HTTPFields, body: Data) async -> HTTPResponse.Status {
        let secret = HTTPField.Name(TelegramWebhook.secretHeader).flatMap { headers[$0] }
        return HTTPResponse.Status(code: await webhook.receive(secretToken: secret, body: body).status)
    }
}
