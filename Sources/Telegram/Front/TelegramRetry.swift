/// How long the bot's loops wait after failures in a row.
enum TelegramRetry {
    /// 1 s, 2 s, 4 s … 30 s after `failures` failures in a row (1 or more).
    static func backoff(after failures: Int) -> Duration { .seconds(min(30, 1 << min(max(failures, 1) - 1, 5))) }
}
