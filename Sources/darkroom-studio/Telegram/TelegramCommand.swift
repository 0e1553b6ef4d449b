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
            /settings, /balance and /history do what they say, /datasets and /dataset put a
            training set together from photos and train a model, /collections and /collection keep
            images together and /cook cooks a collection's series. The offset of the next update is kept
            in the database, so a restart neither loses nor repeats an update; of several bots over
            one database (or `darkroom serve` with telegram.token) one polls at a time.
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
        let composition = try await Composition(dataOptions)
        let servers = try serverOptions.urls()
        let bot = try composition.telegramBot(token: token, tokenSetting: self.token == nil ? "DARKROOM_TELEGRAM_TOKEN" : "--token", api: baseURL,
                                              servers: servers, requestTimeout: serverOptions.timeout,
                                              inputs: try Composition.inputs(inputs, setting: "--input"),
                                              makeImage: composition.makeImage(servers: servers, requestTimeout: serverOptions.timeout),
                                              trainModel: composition.trainModel(servers: servers))
        var checking = bot.client
        checking.requestTimeout = .seconds(10)
        let me: User
        do { me = try await checking.getMe() } catch {
            throw Failure(error.code == .unauthorized ? .usage : .unavailable, "the Bot API refused the token or cannot be reached: \(error)",
                          code: error.code.rawValue)
        }
        Console.line("darkroom telegram: @\(me.username ?? me.firstName) answers (\(composition.storage.engine), media in \(composition.dataFolder.path))")
        // This process resumes the open jobs, trainings and cooks of one that stopped (every half
        // lease, as serve does) and brings the jobs' runs to their chats.
        let workflows = bot.front.dependencies
        let sweeper = Task {
            repeat {
                _ = try? await workflows.makeImage.resumeOpenJobs()
                async let trainings = try? workflows.trainModel?.resumeOpenTraining()
                async let cooks = try? workflows.collections?.resumeOpenCooks()
                _ = await (trainings, cooks)
            } while (try? await Task.sleep(for: composition.leases.duration / 2)) != nil
        }
        let unfinished = Task { await bot.keepFollowingUnfinishedRuns() }
        defer {
            sweeper.cancel()
            unfinished.cancel()
        }
        do { try await bot.poll() } catch let error as BotAPIError {
            throw Failure(.unavailable, "the Bot API stopped the bot: \(error)", code: error.code.rawValue)
        }
    }
}
