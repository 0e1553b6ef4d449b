import ComfyUI
import ComfyUIModel
import ComfyUITestSupport
import Foundation
import Media
import Studio
import StudioSQLite
import StudioTestSupport
import Telegram
import TelegramTestSupport
import TestSupport
import Workflows

/// The Telegram front on real parts: the Bot API stand-in, a real SQLite file and content folder,
/// the shipped templates, and the ComfyUI test server; the users' preferences set to the test
/// server's small model, as a user would set them with /settings.
struct TelegramFixture {
    let api: BotAPIStandIn
    let comfyui: ComfyUITestServer
    let database: TestDatabase
    let folder: TemporaryDirectory
    let front: TelegramFront
    let makeImage: MakeImage
    let trainModel: TrainModel
    let collections: Collections
    let offset: TelegramOffset

    static let alice = User(id: 5_472_638_766, firstName: "Alice")
    static let bob = User(id: 6_100_000_002, firstName: "Bob")

    /// What the test server's training nodes train with: a few steps of a small rank.
    static let trainingValues: [String: JSONValue] = ["checkpoint": .string("tiny-random-sd15.safetensors"), "steps": .integer(3), "rank": .integer(2),
                                                      "training_dtype": .string("fp32"), "lora_dtype": .string("fp32"), "seed": .integer(7)]

    /// A fixture; `perChat` is the outbox's pace in a chat (Telegram's one message a second unless
    /// a test of many messages that is not about the pace asks for less).
    static func start(comfyui given: ComfyUITestServer? = nil, trainingReview: Bool = true,
                      perChat: Duration = .seconds(BotAPILimits.messagesPerSecondPerChat)) async throws -> TelegramFixture {
        let api = try await BotAPIStandIn.start()
        let comfyui = if let given { given } else { try await ComfyUITestServer.start() }
        let database = try TestDatabase()
        let folder = TemporaryDirectory("telegram")
        let media = MediaService(.init(records: database.database.media,
                                       content: try LocalContentStore(folder: folder.url.appendingPathComponent("media")), clock: database.clock))
        let catalogue = WorkflowCatalogue(store: database.database.templates)
        _ = try await catalogue.seed(from: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("templates"))
        let runner = ComfyUIRunner(pool: ComfyUIPool(servers: [comfyui.url], failureThreshold: 1, requestTimeout: .seconds(60)))
        let makeImage = MakeImage(.init(sessions: database.sessions, points: database.points, catalogue: catalogue, jobs: database.database.jobs,
                                        media: media, generator: runner, clock: database.clock, deadline: .seconds(60)))
        let settings = UserSettings(.init(sessions: database.sessions, catalogue: catalogue, generator: runner))
        for user in [alice, bob] {
            _ = try await settings.change(TelegramFront.user(user), ["checkpoint": .string("tiny-random-sd15.safetensors"), "width": .int(64),
                                                                    "height": .int(64), "steps": .int(4)])
        }
        let trainModel = TrainModel(.init(media: media, points: database.points, datasets: database.database.datasets, catalogue: catalogue,
                                          trainer: runner, clock: database.clock, reviewRequired: trainingReview, trainingSide: 64,
                                          trainingValues: trainingValues, trainingDeadline: .seconds(300)))
        let collections = Collections(.init(collections: database.database.collections, media: media, makeImage: makeImage,
                                            datasets: database.database.datasets, clock: database.clock, jobPollInterval: .milliseconds(50)))
        let front = TelegramFront(.init(outbox: TelegramOutbox(client: api.client(), perChat: perChat), makeImage: makeImage, settings: settings,
                                        points: database.points, sessions: database.sessions, media: media,
                                        mediaProcessing: MediaProcessing(.init(media: media, points: database.points, catalogue: catalogue,
                                                                               generator: runner)),
                                        trainModel: trainModel, collections: collections, botID: 7_000_000_001,
                                        inputs: ["lora": .string("tiny-random-lora.safetensors")]))
        return TelegramFixture(api: api, comfyui: comfyui, database: database, folder: folder, front: front, makeImage: makeImage,
                               trainModel: trainModel, collections: collections,
                               offset: TelegramOffset(cursors: database.database.cursors, bot: 7_000_000_001))
    }

    func stop() {
        api.stop()
        Task { [comfyui] in await comfyui.stop() }
    }

    /// A poller of this fixture, asking every second.
    func poller() -> TelegramPoller {
        TelegramPoller(client: api.client(), front: front, offsets: offset, pollSeconds: 1)
    }

    /// Waits until `condition` holds, 90 s at most (the whole test run shares two cores).
    func waitUntil(_ what: String, _ condition: () async throws -> Bool) async throws {
        for _ in 0..<9_000 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw Timeout(what: what)
    }

    /// The `number`th status edit that said "Done" (1 for the first), once it came.
    func waitForFinalStatus(number: Int) async throws -> BotAPIStandIn.Call {
        var finals: [BotAPIStandIn.Call] = []
        try await waitUntil("final status \(number)") {
            finals = await api.calls("editMessageText").filter { $0.parameters["text"]?.hasPrefix("Done in") == true }
            return finals.count >= number
        }
        return finals[number - 1]
    }

    struct Timeout: Error, CustomStringConvertible {
        var what: String
        var description: String { "timed out waiting for \(what)" }
    }

    /// The last text the bot sent `user` (a message, not an edit).
    func lastText(to user: User) async -> String? {
        await api.texts(to: user).last
    }

    /// The first button data matching `pattern` (a regular expression) on the newest message the
    /// bot sent (with a keyboard) to `user`.
    func button(matching pattern: String, to user: User) async throws -> String {
        let markups = await api.calls().filter { $0.parameters["chat_id"] == String(user.id) }.compactMap { $0.parameters["reply_markup"] }
        for markup in markups.reversed() {
            if let range = markup.range(of: pattern, options: .regularExpression) { return String(markup[range]) }
        }
        throw Timeout(what: "a button matching \(pattern)")
    }

    /// The texts the bot sent to `user`'s chat, oldest first.
    func texts(to user: User) async -> [String] {
        await api.texts(to: user)
    }
}
