import ArgumentParser
import ComfyUI
import Configuration
import CommandSupport
import Foundation
import Logging
import Media
import Server
import Studio
import StudioSQLite
import Telegram
import Vips
import Workflows

/// `darkroom serve`: the HTTP API on the embedded defaults, the main job.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API over the workflows (SQLite and the media store in --data, or PostgreSQL with --database).",
        discussion: Help.discussion("""
            Listens on --host:--port (DARKROOM_HOST, DARKROOM_PORT; default 127.0.0.1:8080) and
            prints where, which ComfyUI servers answer, and a first request to try. Without a
            ComfyUI server it still serves everything that does not generate. Every /v1 request
            needs an API key (`Authorization: Bearer <key>`, made with `darkroom keys create`); on
            the first start of a data folder with no key, an admin key is made and shown once.
            GET /health and GET /ready need none. Ctrl-C (or SIGTERM) stops accepting, lets the
            requests in flight finish, ends the event streams (their clients reconnect with
            Last-Event-ID), and exits; open jobs, trainings and cooks are resumed by the next start.

            Settings come from the command line, else the environment, else the JSON file named by
            --config (or DARKROOM_CONFIG; keys as below, dotted ones nested: {"images": {"queue":
            128}}), else the defaults. A value that is present but wrong stops the start with a
            message naming the setting:
            """, preformatted: ServeSettings.help, examples: ["darkroom serve", "darkroom serve --port 9000 --server http://gpu1:8188 --templates templates",
                            "darkroom serve --config /etc/darkroom.json"]))

    @Option(help: "The address to listen on (DARKROOM_HOST; default 127.0.0.1).") var host: String?
    @Option(help: "The port (DARKROOM_PORT; default 8080; 0 picks a free one).") var port: Int?
    @Option(help: "A JSON file of settings (DARKROOM_CONFIG); the command line and the environment win over it.") var config: String?
    @Option(name: .customLong("job-lease"), help: ArgumentHelp("Seconds this instance's claim on a job lasts unless renewed (DARKROOM_JOBS_LEASE; default 30).", valueName: "seconds"))
    var jobLease: Double?
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var serverOptions: ServerOptions

    func run() async throws {
        // A server runs many small images at once: one libvips thread per image, the parallelism
        // from the worker pool (as sharp does). Each of libvips' modules loads when a request
        // first needs it (HEIF for HEIF and AVIF, JPEG XL's): the others only hold loaders a
        // server blocks, and their libraries (poppler, ImageMagick, OpenSlide) would cost every
        // instance about 6 MB.
        var vips = VipsConfiguration.server
        vips.loadModulesOnDemand = true
        VipsRuntime.configure(vips)
        let environment = ProcessInfo.processInfo.environment
        let settings = try await ServeSettings.resolve(commandLine: commandLineSettings, environment: environment,
                                                       file: config ?? environment["DARKROOM_CONFIG"])
        let (host, port, servers) = (settings.host, settings.port, settings.servers)
        var dataOptions = self.dataOptions
        dataOptions.data = settings.data
        dataOptions.database = settings.databaseURL
        dataOptions.databaseConnections = settings.databaseConnections
        dataOptions.jobLease = settings.jobLease
        dataOptions.templates = settings.templates
        dataOptions.allowedNetworks = settings.allowedNetworks.map(\.description)
        let composition = try await Composition(dataOptions)
        let dataFolder = composition.dataFolder
        let storage = composition.storage
        if let report = composition.seedReport, !report.rejected.isEmpty {
            report.rejected.forEach { Console.errorLine("darkroom serve: template refused: \($0.message)") }
        }
        let keys = APIKeys(store: composition.storage.apiKeys)
        let firstKey = try await keys.list().isEmpty ? try await keys.create(name: "first admin key", role: .admin, platform: nil).secret : nil
        let readiness = Composition.readiness(storage: composition.storage, servers: servers)
        let makeImage = composition.makeImage(servers: servers, requestTimeout: settings.requestTimeout)
        let trainModel = composition.trainModel(servers: servers, review: settings.trainingReview)
        let bot = try settings.telegram.map { telegram in
            try composition.telegramBot(token: telegram.token, api: telegram.api, servers: servers, requestTimeout: settings.requestTimeout,
                                        inputs: telegram.inputs, makeImage: makeImage, trainModel: trainModel)
        }
        var dependencies = DarkroomAPI.Dependencies(keys: keys, points: composition.points, catalogue: composition.catalogue,
                                    settings: composition.userSettings(servers: servers, requestTimeout: settings.requestTimeout),
                                    makeImage: makeImage, media: composition.media,
                                    mediaProcessing: composition.mediaProcessing(servers: servers, requestTimeout: settings.requestTimeout),
                                    trainModel: trainModel, collections: composition.collections(makeImage: makeImage),
                                    signer: URLSigner(key: try composition.signingKey(hex: settings.signingKey)),
                                    imagesAtOnce: settings.imagesAtOnce ?? ImageWorkerPool.shared.threads, imageQueue: settings.imageQueue,
                                    eventChannel: composition.storage.events, readiness: readiness)
        if let bot, let telegram = settings.telegram, telegram.webhook != nil {
            dependencies.webhooks["telegram"] = TelegramWebhookReceiver(webhook: TelegramWebhook(front: bot.front, secret: telegram.webhookSecret))
        }
        let api = DarkroomAPI(dependencies)
        // Work a stopped process left open is finished (or released) while the server serves:
        // jobs first (a cook's piece may be one), then trainings and cooks. It is looked for again
        // every half lease: the work of an instance that died is taken over once its leases end.
        @Sendable func takeOverOpenWork() async {
            if let ended = try? await api.resumeOpenJobs(), !ended.isEmpty {
                Console.line("darkroom serve: resumed \(ended.count) open job\(ended.count == 1 ? "" : "s") of an earlier run: "
                             + ended.map { "\($0.id) \($0.state.rawValue)" }.joined(separator: ", "))
            }
            async let trainings = try? trainModel.resumeOpenTraining()
            async let cooks = try? api.resumeOpenCooks()
            if let ended = await trainings, !ended.isEmpty {
                Console.line("darkroom serve: resumed \(ended.count) training\(ended.count == 1 ? "" : "s"): "
                             + ended.map { "\($0.id) \($0.state.rawValue)" }.joined(separator: ", "))
            }
            if let ended = await cooks, !ended.isEmpty {
                Console.line("darkroom serve: resumed \(ended.count) cook\(ended.count == 1 ? "" : "s"): "
                             + ended.map { "\($0.id) \($0.cook.state.rawValue)" }.joined(separator: ", "))
            }
        }
        let sweeper = Task {
            Task { await takeOverOpenWork() }
            while (try? await Task.sleep(for: settings.jobLease / 2)) != nil {
                Task { await takeOverOpenWork() }
            }
        }
        // The bot: long polling by one instance at a time, or a webhook every instance answers.
        let telegram = Task {
            guard let bot, let telegram = settings.telegram else { return }
            // Both until the server stops: the runs of a stopped process picked up, and the updates
            // taken (in webhook mode, once the webhook is set, the route takes them).
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await bot.keepFollowingUnfinishedRuns() }
                group.addTask {
                    do {
                        if let webhook = telegram.webhook {
                            try await bot.registerWebhook(webhook, secret: telegram.webhookSecret)
                        } else {
                            try await bot.poll()
                        }
                    } catch {
                        Console.errorLine("darkroom serve: the Telegram bot stopped: \(error)")
                    }
                }
            }
        }
        var logger = Logger(label: "darkroom.serve")
        logger.logLevel = .warning
        try await APIServer(api: api, host: host, port: port).run(logger: logger) { bound in
            let base = "http://\(host.contains(":") ? "[\(host)]" : host):\(bound)"
            Console.line("darkroom serve: listening on \(base) (\(storage.engine) at \(storage.location), media in \(dataFolder.path))")
            let state = await readiness()
            for server in state.comfyui { Console.line("  ComfyUI \(server.url.absoluteString): \(server.answers ? "answers" : "does not answer")") }
            if !state.generation { Console.line("  no ComfyUI server answers: everything that does not generate is served") }
            if let bot, let telegram = settings.telegram {
                Console.line("  Telegram bot \(bot.front.dependencies.botID): "
                             + (telegram.webhook.map { "updates posted to \($0)" } ?? "long polling (one instance at a time)"))
            }
            if let firstKey { Console.line("  made an admin key for this database (shown once, keep it): \(firstKey)") }
            Console.line("  try: curl \(base)/ready")
            Console.line("       curl -H 'Authorization: Bearer \(firstKey ?? "<key>")' \(base)/v1/templates")
        }
        sweeper.cancel()
        telegram.cancel()
        _ = await telegram.value
        await makeImage.releaseLeases()
        await storage.close()
    }

    /// The settings given on the command line, by their keys.
    private var commandLineSettings: [String: ConfigContent] {
        var given: [String: ConfigContent] = [:]
        if let host { given["host"] = .string(host) }
        if let port { given["port"] = .int(port) }
        if let data = dataOptions.data { given["data"] = .string(data) }
        if let database = dataOptions.database { given["database.url"] = .string(database) }
        if let templates = dataOptions.templates { given["templates"] = .string(templates) }
        if !serverOptions.servers.isEmpty { given["comfyui"] = .stringArray(serverOptions.servers) }
        if let timeout = serverOptions.requestTimeout { given["request_timeout"] = .double(timeout) }
        if let jobLease { given["jobs.lease"] = .double(jobLease) }
        if !dataOptions.allowedNetworks.isEmpty { given["fetch.allow"] = .stringArray(dataOptions.allowedNetworks) }
        return given
    }
}
