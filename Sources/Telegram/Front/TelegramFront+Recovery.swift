import Foundation
import Studio
public import Workflows

extension TelegramFront {
    /// Brings this bot's runs that lost their process to their chats: every open job of the bot
    /// (`tg-<bot>-…`) with no run here is taken — under a work lease per job, so that of several
    /// instances one does it, and only once the process bringing it is gone — announced in a new status message, waited for (whoever resumes
    /// open jobs ends it: `serve`'s sweep, or another instance once the dead one's lease ran
    /// out), and delivered, or its failure told. Returns at once; the ids of the jobs taken.
    @discardableResult
    public func followUnfinishedRuns(checkEvery interval: Duration = .seconds(2)) async -> [String] {
        let deps = dependencies
        guard let open = try? await deps.makeImage.openJobs(prefix: "tg-\(deps.botID)-") else { return [] }
        var taken: [String] = []
        for job in open where runs.take(job.id) {
            guard let chat = Self.chat(of: job.user) else {
                runs.release(job.id)
                continue
            }
            taken.append(job.id)
            Task { [runs] in
                defer { runs.release(job.id) }
                _ = try? await deps.leases.following(Self.runKey(job.id, bot: deps.botID), clock: SystemClock()) {
                    try await bring(job, to: chat, checkEvery: interval)
                }
            }
        }
        return taken
    }

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
        var current = job
        while current.state.isOpen {
            try await Task.sleep(for: interval)
            current = try await deps.makeImage.job(job.id)
        }
        if current.state == .completed {
            await run.deliver(TelegramDelivery(current), media: deps.media, owner: job.user)
        } else {
            await run.fail(WorkflowError(.init(passing: current.failure?.code ?? current.state.rawValue), current.failure?.message ?? ""))
        }
    }
}
