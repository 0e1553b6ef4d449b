import Foundation
import Studio
import Workflows

extension TelegramFront {
    /// Brings this bot's runs that lost their process to their chats: every open job of the bot
    /// (`tg-<bot>-…`) with no run here is taken — under a work lease per job, so that of several
    /// instances one does it, and only once the process bringing it is gone — announced in a new
    /// status message, waited for (whoever resumes open jobs ends it: `serve`'s sweep, or another
    /// instance once the dead one's lease ran out), and delivered, or its failure told. Returns
    /// once each is known to be taken or not; the ids of the jobs taken.
    @discardableResult
    public func followUnfinishedRuns(checkEvery interval: Duration = .seconds(2)) async -> [String] {
        let deps = dependencies
        guard let open = try? await deps.makeImage.openJobs(prefix: "tg-\(deps.botID)-") else { return [] }
        var taken: [String] = []
        for job in open {
            guard let chat = Self.chat(of: job.user) else { continue }
            if await takeOver(Self.runKey(job.id, bot: deps.botID), { try? await bring(job, to: chat, checkEvery: interval) }) {
                taken.append(job.id)
            }
        }
        return taken
    }

    /// Tells the chats of trainings and cooks whose process stopped how they end: every dataset
    /// training and every collection cooking of a Telegram user that no process follows in its
    /// chat (the lease `telegram:<bot>:training:<id>` or `…:cook:<id>` is free) is announced in a
    /// new status message and watched until it ends (whoever resumes open trainings and cooks
    /// ends it). Returns once each is known to be taken or not; the lease keys taken.
    @discardableResult
    public func followUnfinishedWork(checkEvery interval: Duration = .seconds(2)) async -> [String] {
        let deps = dependencies
        var taken: [String] = []
        if let train = deps.trainModel, let training = try? await train.dependencies.datasets.datasets(in: [.training]) {
            for dataset in training {
                guard let chat = Self.chat(of: dataset.owner) else { continue }
                let key = Self.followKey("training", dataset.id, bot: deps.botID)
                let took = await takeOver(key) {
                    guard let status = try? await TelegramStatus.open(TelegramWording.stillTraining(dataset), keyboard: Self.cancelTraining(dataset.id),
                                                                      in: chat, outbox: deps.outbox),
                          let ended = try? await Self.watch(dataset, every: interval, read: { try? await train.dependencies.datasets.dataset(id: dataset.id) },
                                                            while: { $0.state == .training })
                    else { return }
                    status.end(ended.state == .completed ? TelegramWording.trained(ended) : TelegramWording.failure(
                        WorkflowError(.init(passing: ended.failure?.code ?? ended.state.rawValue), ended.failure?.message ?? "")))
                }
                if took { taken.append(key) }
            }
        }
        if let collections = deps.collections, let cooking = try? await collections.dependencies.collections.collections(cooking: [.cooking]) {
            for collection in cooking {
                guard let chat = Self.chat(of: collection.owner) else { continue }
                let key = Self.followKey("cook", collection.id, bot: deps.botID)
                let took = await takeOver(key) {
                    guard let status = try? await TelegramStatus.open(TelegramWording.stillCooking(collection),
                                                                      keyboard: Self.cookingKeyboard(collection.id), in: chat, outbox: deps.outbox),
                          let ended = try? await Self.watch(collection, every: interval,
                                                            read: { try? await collections.dependencies.collections.collection(id: collection.id) },
                                                            while: { $0.cook.state == .cooking })
                    else { return }
                    status.end(TelegramWording.cooked(ended), keyboard: Self.cookKeyboard(ended))
                }
                if took { taken.append(key) }
            }
        }
        return taken
    }

    /// Reads `value` again every `interval` while `isOpen` holds (a read giving `nil` keeps the
    /// last value); the value it ended with. Throws what a read throws, and on cancellation.
    private static func watch<Value>(_ value: Value, every interval: Duration, read: () async throws -> Value?,
                                     while isOpen: (Value) -> Bool) async throws -> Value {
        var current = value
        while isOpen(current) {
            try await Task.sleep(for: interval)
            current = try await read() ?? current
        }
        return current
    }

    /// Starts `body` in a task of its own under the work lease `key` (see ``follow(_:_:)``) and
    /// returns once it is known whether it runs.
    private func takeOver(_ key: String, _ body: @escaping @Sendable () async -> Void) async -> Bool {
        let (known, signal) = AsyncStream<Bool>.makeStream()
        Task {
            let ran = (try? await follow(key) {
                signal.yield(true)
                signal.finish()
                await body()
            }) ?? false
            signal.yield(ran)
            signal.finish()
        }
        for await ran in known { return ran }
        return false
    }

    /// Runs `body` under the work lease `key` while this process holds it (renewed meanwhile),
    /// once per process; false, and `body` not run, when the lease is another's or the key is
    /// already followed here. Throws what `body` throws, or the lease store's failure.
    func follow(_ key: String, _ body: @escaping @Sendable () async throws -> Void) async throws -> Bool {
        guard followed.take(key) else { return false }
        defer { followed.release(key) }
        let ran: Void? = try await dependencies.leases.following(key, clock: SystemClock()) { try await body() }
        return ran != nil
    }

    /// The lease key of following `kind` (`training`, `cook`) of `id` in its chat.
    static func followKey(_ kind: String, _ id: String, bot: Int64) -> String { "telegram:\(bot):\(kind):\(id)" }

    /// The lease key of bringing `job`'s run to its chat.
    static func runKey(_ job: String, bot: Int64) -> String { "telegram:\(bot):run:\(job)" }

    /// A user's private chat: Telegram gives a private chat the user's own id.
    static func chat(of user: UserID) -> Int64? {
        let text = user.description
        guard text.hasPrefix("telegram:") else { return nil }
        return Int64(text.dropFirst("telegram:".count))
    }

    private func bring(_ job: GenerationJob, to chat: Int64, checkEvery interval: Duration) async throws {
        let deps = dependencies
        let status = try await deps.outbox.send(to: chat) { client throws(BotAPIError) in
            try await client.sendMessage(chat: chat, text: TelegramWording.pickedUp(job.prompt))
        }
        let run = TelegramRun(chat: chat, status: status.messageID, job: job.id, outbox: deps.outbox)
        let current = try await Self.watch(job, every: interval, read: { try await deps.makeImage.job(job.id) }, while: { $0.state.isOpen })
        if current.state == .completed {
            await run.deliver(TelegramDelivery(current), media: deps.media, owner: job.user)
        } else {
            await run.fail(WorkflowError(.init(passing: current.failure?.code ?? current.state.rawValue), current.failure?.message ?? ""))
        }
    }
}
