/// A Bot API call that failed: a stable code, the Bot API's own description, and what it asks
/// for (`retry_after` seconds on 429). Network failures and answers that are not the Bot API's
/// shape are errors of this type too, so a caller handles one type.
public struct BotAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// 429: too many requests; wait ``BotAPIError/retryAfter`` seconds.
        public static let rateLimited = Code("telegram_rate_limited")
        /// 400: the request is malformed or refused (too long, a message to edit is gone…).
        public static let refused = Code("telegram_refused")
        /// 401: the token is wrong.
        public static let unauthorized = Code("telegram_unauthorized")
        /// 403: the user blocked the bot, or the bot may not write in that chat.
        public static let forbidden = Code("telegram_forbidden")
        /// 409: another process polls with this token, or a webhook is set.
        public static let conflict = Code("telegram_conflict")
        /// The Bot API did not answer (refused, dropped, timed out) or answered 5xx.
        public static let unreachable = Code("telegram_unreachable")
        /// The answer was not the Bot API's shape.
        public static let malformed = Code("telegram_malformed")
        /// Refused here before sending: over one of the Bot API's documented limits.
        public static let overLimit = Code("telegram_over_limit")

        public var description: String { rawValue }
    }

    public var code: Code
    /// The method called.
    public var method: String
    /// The Bot API's `error_code`, when it answered.
    public var status: Int?
    public var message: String
    /// Seconds to wait before the next call (429).
    public var retryAfter: Int?

    public init(_ code: Code, method: String, status: Int? = nil, message: String, retryAfter: Int? = nil) {
        self.code = code
        self.method = method
        self.status = status
        self.message = message
        self.retryAfter = retryAfter
    }

    /// The error a Bot API error answer stands for.
    init(method: String, status: Int, description: String, parameters: ResponseParameters?) {
        let code: Code = switch status {
        case 429: .rateLimited
        case 401, 404: .unauthorized
        case 403: .forbidden
        case 409: .conflict
        case 500...: .unreachable
        default: .refused
        }
        self.init(code, method: method, status: status, message: description, retryAfter: parameters?.retryAfter)
    }

    public var description: String {
        "\(method): \(message)" + (status.map { " (\($0))" } ?? "") + (retryAfter.map { ", retry after \($0) s" } ?? "")
    }
}
