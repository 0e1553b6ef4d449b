import Foundation
public import Logging
public import Studio
public import Workflows

/// The bot as a long-running part of a process: it takes the updates by long polling — one
/// instance at a time of all those over one database, under the work lease `telegram:<bot>:poller`
/// — or has Telegram post them to a webhook (``TelegramWebhook``), registered here.
public struct TelegramBot: Sendable {
    public let client: BotAPIClient
    public let front: TelegramFront
    public let offset: TelegramOffset
    /// The leases of this process: the one on polling is among them.
    public let leases: JobLeases
    public var clock: any StudioClock
    /// Seconds a poll waits for updates (Telegram's long polling).
    public var pollSeconds: Int
    public var logger: Logger

    public init(client: BotAPIClient, front: TelegramFront, offset: TelegramOffset, leases: JobLeases,
                clock: any StudioClock = SystemClock(), pollSeconds: Int = 30, logger: Logger = Logger(label: "darkroom.telegram")) {
        self.client = client
        self.front = front
        self.offset = offset
        self.leases = leases
        self.clock = clock
        self.pollSeconds = pollSeconds
        self.logger = logger
    }

    /// The bot's id: the digits before the colon of its token (`123456:ABC…`); `nil` when the
    /// text is not a token's shape.
    public static func id(ofToken token: String) -> Int64? {
        let parts = token.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let id = Int64(parts[0]), id > 0, !parts[1].isEmpty,
              BotAPILimits.isTokenText(parts[1])
        else { return nil }
        return id
    }

    /// The lease key of polling this bot.
    public var pollingKey: String { "telegram:\(front.dependencies.botID):poller" }

    /// Polls until cancelled, while this instance holds the polling lease; while another live
    /// instance holds it, waits and asks again every half lease (it takes over, at the stored
    /// offset, once that one stops or dies). Throws only when Telegram refuses the token.
    public func poll() async throws {
        let poller = TelegramPoller(client: client, front: front, offsets: offset, pollSeconds: pollSeconds, logger: logger)
        var failures = 0
        while !Task.isCancelled {
            do {
                let polled: Void? = try await leases.following(pollingKey, clock: clock) {
                    logger.info("polling for updates", metadata: ["instance": "\(leases.instance)"])
                    // A webhook left set (by another configuration) makes getUpdates fail: polling wins here.
                    try? await client.deleteWebhook()
                    try await poller.run()
                }
                failures = 0
                if polled == nil { try await Task.sleep(for: leases.duration / 2) }
            } catch let error as BotAPIError where error.code == .unauthorized {
                throw error
            } catch is CancellationError {
                return
            } catch {
                // The database did not answer the claim: try again, 1 s, 2 s … 30 s apart.
                failures += 1
                logger.warning("cannot poll for now", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: TelegramRetry.backoff(after: failures))
            }
        }
    }

    /// Every half lease until cancelled, picks up the runs whose process is gone and brings them
    /// to their chats (``TelegramFront/followUnfinishedRuns(checkEvery:)``).
    public func keepFollowingUnfinishedRuns() async {
        repeat {
            let taken = await front.followUnfinishedRuns()
            if !taken.isEmpty { logger.info("picked up runs of a stopped process", metadata: ["jobs": "\(taken)"]) }
            let work = await front.followUnfinishedWork()
            if !work.isEmpty { logger.info("following trainings and cooks of a stopped process", metadata: ["work": "\(work)"]) }
        } while (try? await Task.sleep(for: leases.duration / 2)) != nil
    }

    /// Registers `url` as the bot's webhook with `secret`, trying again (1 s, 2 s … 30 s apart)
    /// until Telegram takes it or the task is cancelled. Throws only when Telegram refuses the
    /// token or the address (it must be HTTPS on a port it allows).
    public func registerWebhook(_ url: String, secret: String) async throws {
        var failures = 0
        while !Task.isCancelled {
            do {
                try await client.setWebhook(url: url, secretToken: secret)
                logger.info("webhook set", metadata: ["url": "\(url)"])
                return
            } catch {
                if error.code == .unauthorized || error.code == .refused { throw error }
                failures += 1
                logger.warning("cannot set the webhook for now", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: TelegramRetry.backoff(after: failures))
            }
        }
    }
}
