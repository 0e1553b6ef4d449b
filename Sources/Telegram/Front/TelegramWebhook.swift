import Crypto
public import Foundation

/// The receiving end of a webhook: Telegram posts each update to it with the secret token given
/// to `setWebhook` in `X-Telegram-Bot-Api-Secret-Token`. A request without that token is refused
/// (anyone can post to a public URL); an update is handed to the front before the answer, so
/// Telegram, which delivers again what was not answered with a 2xx, loses nothing.
public struct TelegramWebhook: Sendable {
    /// What became of one request, with the HTTP status to answer.
    public enum Outcome: Sendable, Equatable {
        /// Handled (or one the bot does not use): 200.
        case handled
        /// No secret token, or the wrong one: 401.
        case refused
        /// Not an update: 400.
        case malformed(String)

        public var status: Int {
            switch self {
            case .handled: 200
            case .refused: 401
            case .malformed: 400
            }
        }
    }

    /// The header Telegram carries the secret token in.
    public static let secretHeader = "X-Telegram-Bot-Api-Secret-Token"
    /// The largest body taken (an update is a few kilobytes).
    public static let maximumBody = 1 << 20

    let front: TelegramFront
    let secret: String

    public init(front: TelegramFront, secret: String) {
        self.front = front
        self.secret = secret
    }

    /// The secret token every instance with `token` derives alike (so that several instances
    /// behind one URL agree without being told): the SHA-256 of the token, in hex — 64 of the
    /// characters the Bot API allows (`A-Z`, `a-z`, `0-9`, `_`, `-`; 1 to 256 of them).
    public static func secret(forToken token: String) -> String {
        SHA256.hash(data: Data("darkroom telegram webhook\n\(token)".utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `text` is a secret token the Bot API accepts.
    public static func isValidSecret(_ text: String) -> Bool {
        (1...256).contains(text.utf8.count) && BotAPILimits.isTokenText(text)
    }

    /// Checks the token, decodes the update and handles it.
    public func receive(secretToken: String?, body: Data) async -> Outcome {
        guard let secretToken, Self.equalInConstantTime(secretToken, secret) else { return .refused }
        let update: Update
        do { update = try JSONDecoder().decode(Update.self, from: body) } catch {
            return .malformed("not a Telegram update: \(error)")
        }
        await front.handle(update)
        return .handled
    }

    private static func equalInConstantTime(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
