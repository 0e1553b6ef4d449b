import ArgumentParser
import ComfyUIModel
import Configuration
import Foundation
import Media
import StudioPostgres
import SystemPackage
import Telegram

/// Every setting of `darkroom serve`, resolved with swift-configuration from, in order: the
/// command line, the environment (`DARKROOM_` and the key in capitals, `.` as `_`), the JSON
/// file named by `--config` or `DARKROOM_CONFIG` (keys as below, dotted ones nested), and the
/// defaults. A value that is present but wrong stops the start with a message naming the setting
/// and where it can be set.
struct ServeSettings {
    var host: String
    var port: Int
    var data: String
    var databaseURL: String?
    var databaseConnections: Int
    var templates: String?
    var servers: [URL]
    var requestTimeout: Duration
    var imagesAtOnce: Int?
    var imageQueue: Int
    var allowedNetworks: [IPNetwork]
    var trainingReview: Bool
    var jobLease: Duration
    var signingKey: String?
    var telegram: Telegram?

    /// The Telegram bot `serve` runs, when a token is set.
    struct Telegram {
        var token: String
        var api: URL
        /// The public address Telegram posts updates to (`…/webhooks/telegram`); `nil`: long polling.
        var webhook: String?
        var webhookSecret: String
        var inputs: [String: JSONValue]
    }

    /// One setting as `--help` lists it.
    struct Entry {
        var key: String
        var option: String?
        var meaning: String
        var fallback: String

        var environment: String { "DARKROOM_" + key.uppercased().replacingOccurrences(of: ".", with: "_") }
    }

    static let entries: [Entry] = [
        Entry(key: "host", option: "--host", meaning: "the address to listen on", fallback: "127.0.0.1"),
        Entry(key: "port", option: "--port", meaning: "the port (0 picks a free one)", fallback: "8080"),
        Entry(key: "data", option: "--data", meaning: "the data folder: studio.sqlite, media/, signing.key", fallback: "./darkroom-data"),
        Entry(key: "database.url", option: "--database",
              meaning: "a postgres:// URL: several instances share its database (and the data folder's media/)",
              fallback: "studio.sqlite in the data folder"),
        Entry(key: "database.connections", option: nil, meaning: "connections to PostgreSQL this instance may open", fallback: "10"),
        Entry(key: "templates", option: "--templates", meaning: "the templates folder seeded into the catalogue", fallback: "./templates when it exists"),
        Entry(key: "comfyui", option: "--server", meaning: "ComfyUI server URLs (a list; comma-separated in the environment)",
              fallback: "http://127.0.0.1:8188"),
        Entry(key: "request_timeout", option: "--request-timeout", meaning: "seconds to wait for one request to ComfyUI", fallback: "10"),
        Entry(key: "images.at_once", option: nil, meaning: "on-the-fly images made at once", fallback: "one per image worker (a core)"),
        Entry(key: "images.queue", option: nil, meaning: "on-the-fly image requests that may wait (beyond: 503)", fallback: "64"),
        Entry(key: "fetch.allow", option: "--allow-network", meaning: "private address blocks URL fetches may reach (CIDR list)", fallback: "none"),
        Entry(key: "jobs.lease", option: "--job-lease",
              meaning: "seconds an instance's claim on a job lasts unless renewed; a dead instance's jobs are taken over after it",
              fallback: "30"),
        Entry(key: "training.review", option: nil, meaning: "whether training submissions wait for a reviewer (on/off)", fallback: "on"),
        Entry(key: "signing.key", option: nil, meaning: "the on-the-fly signing key, 64+ hex digits (a secret)",
              fallback: "the data folder's signing.key, made once"),
        Entry(key: "telegram.token", option: nil, meaning: "a Telegram bot's token (from @BotFather; a secret): serve runs the bot too",
              fallback: "no bot"),
        Entry(key: "telegram.api", option: nil, meaning: "the Bot API's base URL (Telegram's local Bot API server…)",
              fallback: "https://api.telegram.org"),
        Entry(key: "telegram.webhook", option: nil,
              meaning: "the public https URL Telegram posts updates to, ending /webhooks/telegram (this server's route)",
              fallback: "long polling, by one instance at a time"),
        Entry(key: "telegram.webhook_secret", option: nil, meaning: "the secret Telegram sends with each update (A-Z a-z 0-9 _ -, up to 256)",
              fallback: "derived from the token, the same on every instance"),
        Entry(key: "telegram.inputs", option: nil, meaning: "template inputs every generation from Telegram gets (a list of name=value)",
              fallback: "none"),
    ]

    /// The settings as `--help` lists them.
    static var help: String {
        entries.map { entry in
            "  \(entry.key): \(entry.meaning)\n      \([entry.option, entry.environment].compactMap { $0 }.joined(separator: ", ")); default \(entry.fallback)"
        }.joined(separator: "\n")
    }

    /// Resolves every setting. `commandLine` holds the options given (key → value).
    static func resolve(commandLine: [String: ConfigContent], environment: [String: String], file: String?) async throws -> ServeSettings {
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "command line", values: Dictionary(uniqueKeysWithValues: commandLine.map {
                (AbsoluteConfigKey(ConfigKey(stringLiteral: $0.key)), ConfigValue($0.value, isSecret: false))
            })),
            EnvironmentVariablesProvider(environmentVariables: environment,
                                     secretsSpecifier: .specific(["DARKROOM_SIGNING_KEY", "DARKROOM_DATABASE_URL", "DARKROOM_TELEGRAM_TOKEN",
                                                                  "DARKROOM_TELEGRAM_WEBHOOK_SECRET"]))
                .prefixKeys(with: "darkroom"),
        ]
        if let file {
            guard FileManager.default.fileExists(atPath: file) else { throw ValidationError("config (--config or DARKROOM_CONFIG): no file at \(file)") }
            do { providers.append(try await FileProvider<JSONSnapshot>(filePath: FilePath(file))) } catch {
                throw ValidationError("config (--config or DARKROOM_CONFIG): \(file) is not a JSON object of settings: \(error)")
            }
        }
        let config = ConfigReader(providers: providers)
        let reader = SettingReader(config: config, file: file)
        let servers = try reader.strings("comfyui") ?? ["http://127.0.0.1:8188"]
        let port = try reader.int("port") ?? 8080
        guard (0...65_535).contains(port) else { throw reader.invalid("port", "expected 0 … 65535, received \(port)") }
        let timeout = try reader.double("request_timeout") ?? 10
        guard timeout > 0 else { throw reader.invalid("request_timeout", "expected seconds above 0, received \(timeout)") }
        let atOnce = try reader.int("images.at_once")
        if let atOnce, atOnce < 1 { throw reader.invalid("images.at_once", "expected 1 or more, received \(atOnce)") }
        let connections = try reader.int("database.connections") ?? 10
        guard (1...1_000).contains(connections) else { throw reader.invalid("database.connections", "expected 1 … 1000, received \(connections)") }
        let databaseURL = try reader.string("database.url", secret: true)
        if let databaseURL {
            do { _ = try PostgresAddress(url: databaseURL) } catch { throw reader.invalid("database.url", "\(error)") }
        }
        let lease = try reader.double("jobs.lease") ?? 30
        guard (1...3_600).contains(lease) else { throw reader.invalid("jobs.lease", "expected 1 … 3600 seconds, received \(lease)") }
        let queue = try reader.int("images.queue") ?? 64
        guard queue >= 0 else { throw reader.invalid("images.queue", "expected 0 or more, received \(queue)") }
        return ServeSettings(
            host: try reader.string("host") ?? "127.0.0.1", port: port, data: try reader.string("data") ?? "darkroom-data",
            databaseURL: databaseURL, databaseConnections: connections,
            templates: try reader.string("templates") ?? (FileManager.default.fileExists(atPath: "templates") ? "templates" : nil),
            servers: try servers.map { text in
                guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                    throw reader.invalid("comfyui", "'\(text)' is not an http(s) URL")
                }
                return url
            },
            requestTimeout: ServerOptions.timeout(seconds: timeout), imagesAtOnce: atOnce, imageQueue: queue,
            allowedNetworks: try (reader.strings("fetch.allow") ?? []).map { text in
                guard let network = IPNetwork(text) else { throw reader.invalid("fetch.allow", "'\(text)' is not an address block such as 10.1.0.0/16") }
                return network
            },
            trainingReview: try reader.onOff("training.review") ?? true,
            jobLease: .milliseconds(Int64(lease * 1_000)),
            signingKey: try reader.string("signing.key", secret: true),
            telegram: try telegram(reader))
    }

    private static func telegram(_ reader: SettingReader) throws -> Telegram? {
        guard let token = try reader.string("telegram.token", secret: true) else { return nil }
        guard TelegramBot.id(ofToken: token) != nil else {
            throw reader.invalid("telegram.token", "not a bot token (digits, a colon, then letters, digits, _ or -, as @BotFather gives it)")
        }
        let base = try reader.string("telegram.api") ?? "https://api.telegram.org"
        guard let api = URL(string: base), ["http", "https"].contains(api.scheme ?? ""), api.host != nil else {
            throw reader.invalid("telegram.api", "'\(base)' is not an http(s) URL")
        }
        let webhook = try reader.string("telegram.webhook")
        if let webhook {
            guard let url = URL(string: webhook), ["http", "https"].contains(url.scheme ?? ""), url.host != nil,
                  url.path.hasSuffix("/webhooks/telegram") else {
                throw reader.invalid("telegram.webhook", "expected the public URL of this server's /webhooks/telegram, received '\(webhook)'")
            }
        }
        let secret = try reader.string("telegram.webhook_secret", secret: true) ?? TelegramWebhook.secret(forToken: token)
        guard TelegramWebhook.isValidSecret(secret) else {
            throw reader.invalid("telegram.webhook_secret", "expected 1 to 256 of A-Z, a-z, 0-9, _ and -")
        }
        let inputs = try Composition.inputs(try reader.strings("telegram.inputs") ?? [], setting: "telegram.inputs")
        return Telegram(token: token, api: api, webhook: webhook, webhookSecret: secret, inputs: inputs)
    }

    /// Reads one setting at a time: missing is `nil`; present but not of the type is an error
    /// naming the setting (swift-configuration's readers would fall back to a default silently).
    private struct SettingReader {
        let config: ConfigReader
        let file: String?

        func string(_ key: String, secret: Bool = false) throws -> String? {
            try read(key, "text") { try config.requiredString(forKey: ConfigKey(stringLiteral: key), isSecret: secret) }
        }

        func int(_ key: String) throws -> Int? { try read(key, "a whole number") { try config.requiredInt(forKey: ConfigKey(stringLiteral: key)) } }

        func double(_ key: String) throws -> Double? {
            try read(key, "a number") { try config.requiredDouble(forKey: ConfigKey(stringLiteral: key)) }
        }

        /// A switch: a JSON boolean, or on/off, true/false, yes/no, 1/0.
        func onOff(_ key: String) throws -> Bool? {
            let configKey = ConfigKey(stringLiteral: key)
            if let value = config.bool(forKey: configKey) { return value }
            guard let text = try string(key)?.lowercased() else { return nil }
            if ["on", "true", "yes", "1"].contains(text) { return true }
            if ["off", "false", "no", "0"].contains(text) { return false }
            throw invalid(key, "expected on or off, received '\(text)'")
        }

        func strings(_ key: String) throws -> [String]? {
            try read(key, "a list of text") { try config.requiredStringArray(forKey: ConfigKey(stringLiteral: key)) }
        }

        private func read<Value>(_ key: String, _ expected: String, _ body: () throws -> Value) throws -> Value? {
            do { return try body() } catch {
                let configKey = ConfigKey(stringLiteral: key)
                let present = config.string(forKey: configKey) != nil || config.int(forKey: configKey) != nil || config.double(forKey: configKey) != nil
                    || config.bool(forKey: configKey) != nil || config.stringArray(forKey: configKey) != nil || config.intArray(forKey: configKey) != nil
                guard present else { return nil }
                throw invalid(key, "expected \(expected)")
            }
        }

        /// "port (--port, DARKROOM_PORT or "port" in FILE): expected …".
        func invalid(_ key: String, _ problem: String) -> ValidationError {
            let entry = ServeSettings.entries.first { $0.key == key }
            let places = [entry?.option, entry?.environment, file.map { "\"\(key)\" in \($0)" }].compactMap { $0 }
            return ValidationError("\(key) (\(places.joined(separator: ", "))): \(problem)")
        }
    }
}
