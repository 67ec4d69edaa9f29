/// A token bucket that keeps a client under an API's request budget: `capacity` requests at
/// once, refilled at `refillPerSecond`. Over any window `w` it admits at most
/// `capacity + refillPerSecond × w` requests; the default (300 + 3/s) admits 1,200 in Cloudflare's
/// 5-minute window, its published limit per token.
public struct TokenBucket: Sendable, Hashable {
    public let capacity: Double
    public let refillPerSecond: Double
    private var tokens: Double
    private var updated: ContinuousClock.Instant?

    public init(capacity: Double = 300, refillPerSecond: Double = 3) {
        precondition(capacity >= 1 && refillPerSecond > 0, "a bucket needs room for one request and a refill rate")
        self.capacity = capacity
        self.refillPerSecond = refillPerSecond
        tokens = capacity
    }

    /// Takes a token at `now` and returns `.zero`, or returns how long until one is available
    /// (taking nothing).
    public mutating func take(at now: ContinuousClock.Instant) -> Duration {
        if let updated {
            let elapsed = now - updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            tokens = min(capacity, tokens + max(0, seconds) * refillPerSecond)
        }
        updated = now
        if tokens >= 1 {
            tokens -= 1
            return .zero
        }
        return .seconds((1 - tokens) / refillPerSecond)
    }
}
