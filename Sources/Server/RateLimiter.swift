import Foundation

/// Requests a minute per key, as a token bucket refilled continuously: a key may burst up to its
/// rate, then waits; over it, the caller learns how many seconds until the next request fits.
actor RateLimiter {
    private var buckets: [String: (tokens: Double, at: Double)] = [:]
    private let now: @Sendable () -> Double

    init(now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) { self.now = now }

    /// Takes one request from `key`'s bucket; returns `nil` when it fits, else the seconds to wait.
    func take(_ key: String, perMinute rate: Int) -> Int? {
        let time = now(), capacity = Double(max(1, rate)), refill = capacity / 60
        var bucket = buckets[key] ?? (capacity, time)
        bucket.tokens = min(capacity, bucket.tokens + (time - bucket.at) * refill)
        bucket.at = time
        defer { buckets[key] = bucket }
        guard bucket.tokens >= 1 else { return max(1, Int(((1 - bucket.tokens) / refill).rounded(.up))) }
        bucket.tokens -= 1
        return nil
    }
}
