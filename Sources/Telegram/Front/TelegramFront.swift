public import ComfyUIModel
import Foundation
import Vips
public import Media
public import Studio
public import Workflows

/// The Telegram front: one platform adapter over the workflows. It knows Telegram (users are
/// `telegram:<id>`, replies are messages and buttons); no workflow knows it. Every update gets an
/// answer — a result, or a short human message for an error, never a stack trace, never silence.
///
/// ``handle(_:)`` does an update's quick part and returns: for a prompt, until its points are
/// held and its job recorded (the job's id comes from the update's, so an update handled again
/// after a restart finds its job and starts nothing twice); the generation goes on in a task of
/// its own, its status message edited as it runs.
public struct TelegramFront: Sendable {
    /// What the front is built on; the composition root picks the implementations.
    public struct Dependencies: Sendable {
        public var outbox: TelegramOutbox
        public var makeImage: MakeImage
        public var settings: UserSettings
        public var points: PointsService
        public var sessions: SessionService
        public var media: MediaService
        public var mediaProcessing: MediaProcessing
        /// Datasets and training in chat; `nil`: the bot does not offer them.
        public var trainModel: TrainModel?
        /// Collections and cooks in chat; `nil`: the bot does not offer them.
        public var collections: Collections?
        /// The bot's own id, part of every job id it makes (`tg-<bot>-<update>`).
        public var botID: Int64
        /// The leases of this process: a run brought to its chat holds one, so that another
        /// instance picks it up only when this one is gone (see ``followUnfinishedRuns(checkEvery:)``).
        public var leases: JobLeases
        /// Template inputs every generation from this front gets (the LoRA the operator chose…):
        /// a chat has no way to name them.
        public var inputs: [String: JSONValue]

        public init(outbox: TelegramOutbox, makeImage: MakeImage, settings: UserSettings, points: PointsService,
                    sessions: SessionService, media: MediaService, mediaProcessing: MediaProcessing,
                    trainModel: TrainModel? = nil, collections: Collections? = nil, botID: Int64,
                    inputs: [String: JSONValue] = [:], leases: JobLeases = JobLeases()) {
            self.trainModel = trainModel
            self.collections = collections
            self.inputs = inputs
            self.leases = leases
            self.mediaProcessing = mediaProcessing
            self.outbox = outbox
            self.makeImage = makeImage
            self.settings = settings
            self.points = points
            self.sessions = sessions
            self.media = media
            self.botID = botID
        }
    }

    public let dependencies: Dependencies
    private let inHand = InHand<Int>()
    /// The runs, trainings and cooks this process follows in their chats, by lease key.
    let followed = InHand<String>()

    public init(_ dependencies: Dependencies) { self.dependencies = dependencies }

    /// The Darkroom user a Telegram user is.
    public static func user(_ telegram: User) -> UserID { UserID("telegram:\(telegram.id)")! }

    /// Handles one update; never throws (what goes wrong is told to the user). The same update
    /// delivered again while it is being handled is left to the handling under way.
    public func handle(_ update: Update) async {
        guard inHand.take(update.updateID) else { return }
        defer { inHand.release(update.updateID) }
        if let query = update.callbackQuery {
            await press(query)
        } else if let message = update.message, let from = message.from, !from.isBot {
            await receive(message, from: from, update: update.updateID)
        }
    }

    // MARK: Messages

    private func receive(_ message: Message, from: User, update: Int) async {
        let chat = message.chat.id, user = Self.user(from)
        let text = (message.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let (command, argument) = Self.command(text)
        do {
            switch command {
            case "/start": try await say(TelegramWording.welcome(try await dependencies.points.balance(of: user)), to: chat)
            case "/help": try await say(TelegramWording.help, to: chat)
            case "/balance": try await say(TelegramWording.balance(try await dependencies.points.balance(of: user)), to: chat)
            case "/history": try await say(TelegramWording.history(try await dependencies.sessions.history(of: user, limit: 5)), to: chat)
            case "/settings": try await showSettings(to: user, in: chat)
            case "/datasets": try await listDatasets(of: user, in: chat)
            case "/dataset": try await createDataset(argument, for: user, in: chat)
            case "/caption": try await captionSlot(argument, for: user, in: chat)
            case "/clear": try await clearSlot(argument, for: user, in: chat)
            case "/submit": try await offerSubmission(for: user, in: chat)
            case "/train": try await trainNewestApproved(for: user, in: chat)
            case "/collections": try await listCollections(of: user, in: chat)
            case "/collection": try await showCollection(argument, for: user, in: chat)
            case "/cook": try await cookCollection(argument, for: user, in: chat)
            case "/make":
                guard !argument.isEmpty else { return try await say("Tell me what to make: /make a lighthouse at dusk", to: chat) }
                await generate(argument, for: user, in: chat, job: jobID(update))
            case let other? where other.hasPrefix("/"):
                try await say("I do not know \(other). " + TelegramWording.help, to: chat)
            default:
                if message.photo != nil || message.document != nil {
                    try await receivePhoto(message, for: user)
                } else if !text.isEmpty {
                    await generate(text, for: user, in: chat, job: jobID(update))
                }
            }
        } catch {
            await tell(error, in: chat)
        }
    }

    private func jobID(_ update: Int) -> String { "tg-\(dependencies.botID)-\(update)" }

    /// "/make a lighthouse" → ("/make", "a lighthouse"); "/start@darkroom_bot" → ("/start", "").
    static func command(_ text: String) -> (String?, String) {
        guard text.hasPrefix("/") else { return (nil, text) }
        let parts = text.split(separator: " ", maxSplits: 1)
        let name = parts.first.map { String($0.split(separator: "@").first ?? $0).lowercased() }
        return (name, parts.count > 1 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : "")
    }

    // MARK: Generation

    /// Starts makeImage for `prompt` and returns once its points are held (or it failed first);
    /// the run goes on, its status message edited, its images delivered at the end.
    func generate(_ prompt: String, for user: UserID, in chat: Int64, job: String) async {
        let deps = dependencies
        // Handled before (a restart between handling and acknowledging): the job is already there.
        if (try? await deps.makeImage.job(job)) != nil { return }
        let status: Message
        do {
            status = try await deps.outbox.send(to: chat) { client throws(BotAPIError) in
                try await client.sendMessage(chat: chat, text: "Working on it…")
            }
        } catch {
            return
        }
        let (accepted, signal) = AsyncStream<Void>.makeStream()
        let run = TelegramRun(chat: chat, status: status.messageID, job: job, outbox: deps.outbox)
        Task {
            do {
                // Under the run's lease: while this process lives, no other picks the run up.
                let ran = try await follow(Self.runKey(job, bot: deps.botID)) {
                    let request = MakeImage.Request(user: user, prompt: prompt, inputs: deps.inputs, format: .jpeg, job: job)
                    let result = try await deps.makeImage.run(request) { progress in
                        if case .held = progress { signal.finish() }
                        run.show(progress)
                    }
                    signal.finish()
                    await run.deliver(TelegramDelivery(result), media: deps.media, owner: user)
                }
                signal.finish()
                // Another instance brings this very run (the update reached both): it answers.
                if !ran { await run.fail(WorkflowError(.duplicateID, "job \(job) is brought to its chat by another instance")) }
            } catch {
                signal.finish()
                await run.fail(error)
            }
        }
        for await _ in accepted {}
    }

    // MARK: Buttons

    private func press(_ query: CallbackQuery) async {
        let deps = dependencies, user = Self.user(query.from)
        let chat = query.message?.chat.id ?? query.from.id
        let (action, job) = Self.button(query.data ?? "")
        var notice: String?
        do {
            switch action {
            case "cancel":
                _ = try await deps.makeImage.cancel(job: job, user: user)
                notice = "Cancelled; your points are back."
            case "again":
                let previous = try await deps.makeImage.job(job, user: user)
                notice = "Again, with a new seed."
                // The id from the button's press, not the job's (an "again" of an "again" must
                // still fit its own button's 64 bytes).
                await generate(previous.prompt, for: user, in: chat, job: "tg-\(deps.botID)-q\(query.id)")
            case "set":
                notice = try await changeSetting(job, for: user, message: query.message)
            case "proc":
                notice = process(job, for: user, in: chat, query: query.id)
            case "slot", "submit", "train", "untrain":
                notice = try await pressTraining(action, job, for: user, in: chat, message: query.message)
            case "keep", "into", "cook", "pause", "stop":
                notice = try await pressCollection(action, job, for: user, in: chat)
            default:
                notice = "That button no longer does anything."
            }
        } catch {
            notice = TelegramWording.failure(error)
        }
        let answer = notice.map { String($0.prefix(BotAPILimits.callbackAnswerLength)) }
        _ = try? await deps.outbox.send(to: chat) { client throws(BotAPIError) in
            try await client.answerCallbackQuery(query.id, text: answer)
        }
    }

    /// "cancel:tg-1-2" → ("cancel", "tg-1-2").
    static func button(_ data: String) -> (String, String) {
        let parts = data.split(separator: ":", maxSplits: 1)
        return (parts.first.map(String.init) ?? "", parts.count > 1 ? String(parts[1]) : "")
    }

    // MARK: Replies

    func say(_ text: String, to chat: Int64) async throws {
        _ = try await dependencies.outbox.send(to: chat) { client throws(BotAPIError) in
            try await client.sendMessage(chat: chat, text: text)
        }
    }

    private func tell(_ error: any Error, in chat: Int64) async {
        _ = try? await say(TelegramWording.failure(error), to: chat)
    }
}
