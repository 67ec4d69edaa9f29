/// Exponential backoff with full jitter (Brooker, "Exponential Backoff And Jitter", AWS
/// Architecture Blog, 2015): before retry `n` wait a uniform random time in
/// `0 ... min(cap, base × 2^(n−1))`. Full jitter spreads agents that failed together.
public struct RetryBackoff: Sendable, Hashable {
    public var base: Duration
    public var cap: Duration

    public init(base: Duration = .milliseconds(250), cap: Duration = .seconds(8)) {
        self.base = base
        self.cap = cap
    }

    /// The wait before retry number `retry` (1 for the first retry).
    public func delay(beforeRetry retry: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let ceiling = min(cap, base * (1 << min(max(retry - 1, 0), 30)))
        return ceiling * Double.random(in: 0...1, using: &generator)
    }
}
