import Foundation
public import Logging

/// Long polling: asks for updates after the stored offset, hands each to the front, and stores
/// the next offset once the front has handled it (its quick part: a job held and recorded), so a
/// restart neither loses an update nor repeats one (one handled again finds its job and starts
/// nothing twice). Rate limits are waited out; a dropped connection or a server error is tried
/// again, 1 s, 2 s … 30 s apart; a conflict (another poller, a webhook) is waited out, 5 s at a
/// time. A wrong token ends it.
public struct TelegramPoller: Sendable {
    let client: BotAPIClient
    let front: TelegramFront
    let offsets: TelegramOffset
    let pollSeconds: Int
    let logger: Logger

    public init(client: BotAPIClient, front: TelegramFront, offsets: TelegramOffset, pollSeconds: Int = 30,
                logger: Logger = Logger(label: "darkroom.telegram")) {
        self.client = client
        self.front = front
        self.offsets = offsets
        self.pollSeconds = pollSeconds
        self.logger = logger
    }

    /// Polls until cancelled (or the token is refused, which it throws).
    public func run() async throws {
        var offset = try await offsets.load()
        var failures = 0
        while !Task.isCancelled {
            do {
                let updates = try await client.getUpdates(offset: offset, timeout: pollSeconds)
                failures = 0
                for update in updates {
                    await front.handle(update)
                    let handled = update.updateID + 1
                    offset = handled
                    // Saved even when the poller is being stopped: what was handled stays handled.
                    try await Task { [offsets] in try await offsets.save(handled) }.value
                }
            } catch let error as BotAPIError {
                switch error.code {
                case .unauthorized: throw error
                case .rateLimited: try await Task.sleep(for: .seconds(max(1, error.retryAfter ?? 1)))
                case .conflict:
                    logger.warning("another poller or a webhook holds this bot's updates; waiting", metadata: ["error": "\(error)"])
                    try await Task.sleep(for: .seconds(5))
                default:
                    failures += 1
                    if failures == 1 { logger.warning("the Bot API did not answer; asking again", metadata: ["error": "\(error)"]) }
                    try await Task.sleep(for: TelegramRetry.backoff(after: failures))
                }
            }
        }
    }
}
