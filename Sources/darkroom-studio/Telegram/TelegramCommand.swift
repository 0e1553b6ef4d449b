import ArgumentParser
import CommandSupport
import ComfyUIModel
import Foundation
import Studio
import Telegram
import Workflows

/// `darkroom telegram`: the Telegram bot, long polling the Bot API over the same data folder
/// (or database) as `darkroom serve`.
struct TelegramCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "telegram",
        abstract: "Run the Telegram bot over the workflows (long polling).",
        discussion: Help.discussion("""
            Polls the Bot API for updates with the bot's token (--token or DARKROOM_TELEGRAM_TOKEN,
            from @BotFather) and answers them through the workflows: a description makes an image,
            a photo is offered resizing, conversion, cropping, upscaling and background removal,
            /settings, /balance and /history do what they say. The offset of the next update is kept
            in the data folder's telegram.offset, so a restart neither loses nor repeats an update.
            --api points at another Bot API server (Telegram's own local one, or a test stand-in).
            --input sets a template input every generation gets (the LoRA to use…).
            """, examples: ["DARKROOM_TELEGRAM_TOKEN=123:abc darkroom telegram --server http://gpu1:8188 --input lora=detail.safetensors"]))

    @Option(help: "The bot's token (default: DARKROOM_TELEGRAM_TOKEN).") var token: String?
    @Option(help: ArgumentHelp("The Bot API's base URL (default: DARKROOM_TELEGRAM_API, else https://api.telegram.org).", valueName: "url"))
    var api: String?
    @Option(name: .customLong("input"), help: ArgumentHelp("A template input every generation gets, name=value; repeat for several.", valueName: "name=value"))
    var inputs: [String] = []
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var serverOptions: ServerOptions

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let token = token ?? environment["DARKROOM_TELEGRAM_TOKEN"], !token.isEmpty else {
            throw ValidationError("give the bot's token: --token, or DARKROOM_TELEGRAM_TOKEN")
        }
        let base = api ?? environment["DARKROOM_TELEGRAM_API"] ?? "https://api.telegram.org"
        guard let baseURL = URL(string: base), ["http", "https"].contains(baseURL.scheme ?? "") else {
            throw ValidationError("--api: '\(base)' is not an http(s) URL")
        }
        var values: [String: JSONValue] = [:]
        for assignment in inputs {
            let parts = assignment.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { throw ValidationError("--input: '\(assignment)' is not name=value") }
            values[String(parts[0])] = .string(String(parts[1]))
        }
        let composition = try await Composition(dataOptions)
        let client = BotAPIClient(token: token, baseURL: baseURL)
        var checking = client
        checking.requestTimeout = .seconds(10)
        let bot: User
        do { bot = try await checking.getMe() } catch {
            throw Failure(error.code == .unauthorized ? .usage : .unavailable, "the Bot API refused the token or cannot be reached: \(error)",
                          code: error.code.rawValue)
        }
        let servers = try serverOptions.urls()
        let makeImage = composition.makeImage(servers: servers, requestTimeout: serverOptions.timeout)
        let front = TelegramFront(.init(outbox: TelegramOutbox(client: client), makeImage: makeImage,
                                        settings: composition.userSettings(servers: servers, requestTimeout: serverOptions.timeout),
                                        points: composition.points, sessions: composition.sessions, media: composition.media,
                                        mediaProcessing: composition.mediaProcessing(servers: servers, requestTimeout: serverOptions.timeout),
                                        botID: bot.id, inputs: values))
        Console.line("darkroom telegram: @\(bot.username ?? bot.firstName) answers (\(composition.storage.engine), media in \(composition.dataFolder.path))")
        try? await client.deleteWebhook()
        let poller = TelegramPoller(client: client, front: front,
                                    offsets: FileOffsetStore(file: composition.dataFolder.appendingPathComponent("telegram.offset")))
        do { try await poller.run() } catch let error as BotAPIError {
            throw Failure(.unavailable, "the Bot API stopped the bot: \(error)", code: error.code.rawValue)
        }
    }
}
