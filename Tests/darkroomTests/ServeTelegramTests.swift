import Foundation
import Telegram
import TelegramTestSupport
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `darkroom serve` with a bot token: the bot runs inside the server, by long polling or behind
/// the server's own webhook route, against the Bot API stand-in.
@Suite(.onTestThreads, .timeLimit(.minutes(4))) struct ServeTelegramTests {
    let folder = TemporaryDirectory("serve-telegram")
    let alice = User(id: 5_472_638_766, firstName: "Alice")

    /// A bad token stops either command before anything runs, naming where it was given.
    @Test func aBadTokenIsNamedWhereItWasGiven() async throws {
        let bot = try await DarkroomBinary.run(["telegram", "--token", "not-a-token", "--data", folder.path("data")])
        #expect(bot.status == 64 && bot.stderr.contains("--token: not a bot token"), "\(bot.stderr)")
        let fromEnvironment = try await DarkroomBinary.run(["telegram", "--data", folder.path("data")],
                                                           environment: ["DARKROOM_TELEGRAM_TOKEN": "12:ab:cd"])
        #expect(fromEnvironment.status == 64 && fromEnvironment.stderr.contains("DARKROOM_TELEGRAM_TOKEN: not a bot token"), "\(fromEnvironment.stderr)")
        let serve = try await DarkroomBinary.run(["serve", "--port", "0", "--data", folder.path("data")], environment: ["DARKROOM_TELEGRAM_TOKEN": "x"])
        #expect(serve.status == 64 && serve.stderr.contains("telegram.token"), "\(serve.stderr)")
    }

    @Test func serveAnswersTelegramByPollingOrThroughItsWebhook() async throws {
        let api = try await BotAPIStandIn.start()
        defer { api.stop() }
        // Long polling: the setting is the token (and where the Bot API is).
        let polling = try folder.write(Data("""
            {"telegram": {"token": "\(api.token)", "api": "\(api.url.absoluteString)"}}
            """.utf8), to: "polling.json")
        let (first, printed) = try await ServeCommandTests.start(["serve", "--port", "0", "--data", folder.path("data"), "--templates",
                                                                  MakeCommandTests.templates, "--server", "http://127.0.0.1:9", "--config", polling])
        defer { if first.isRunning { first.terminate() } }
        #expect(printed.contains { $0.contains("Telegram bot 7000000001: long polling") }, "\(printed)")
        await api.send("/start", from: alice)
        try await Self.waitFor("the welcome") { await api.texts(to: alice).count == 1 }
        #expect(await api.texts(to: alice).first?.hasPrefix("Welcome to Darkroom.") == true)
        first.terminate()
        for _ in 0..<500 where first.isRunning { try await Task.sleep(for: .milliseconds(20)) }

        // A webhook: the server sets it (with the secret derived from the token) and takes the
        // updates Telegram posts to /webhooks/telegram, only with that secret.
        let port = try Self.freePort()
        let hook = "http://127.0.0.1:\(port)/webhooks/telegram"
        let webhook = try folder.write(Data("""
            {"telegram": {"token": "\(api.token)", "api": "\(api.url.absoluteString)", "webhook": "\(hook)"}}
            """.utf8), to: "webhook.json")
        let (second, shown) = try await ServeCommandTests.start(["serve", "--port", "\(port)", "--data", folder.path("data"), "--templates",
                                                                 MakeCommandTests.templates, "--server", "http://127.0.0.1:9", "--config", webhook],
                                                                until: { $0.last?.contains("Authorization: Bearer") == true })
        defer { if second.isRunning { second.terminate() } }
        #expect(shown.contains { $0.contains("Telegram bot 7000000001: updates posted to \(hook)") }, "\(shown)")
        try await Self.waitFor("the webhook") { await api.webhook() != nil }
        let set = await api.webhook()
        #expect(set?.url == hook && set?.secret == TelegramWebhook.secret(forToken: api.token))
        let update = await api.send("/balance", from: alice)
        #expect(try await api.post(update, secret: "") == 401)
        #expect(try await api.post(update, secret: "not-the-secret") == 401)
        #expect(await api.texts(to: alice).count == 1, "a post without the secret is not handled")
        #expect(try await api.post(update) == 200)
        #expect(await api.texts(to: alice).count == 2)
        #expect(await api.texts(to: alice).last?.contains("points available") == true)
        second.terminate()
    }

    static func waitFor(_ what: String, _ condition: () async throws -> Bool) async throws {
        for _ in 0..<6_000 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("timed out waiting for \(what)")
        throw CancellationError()
    }

    /// A loopback port nothing listens on now (bound, read, closed).
    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw CancellationError() }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
