/// A misbehaviour the fake can be told to show for its next requests.
public enum FakeFault: Sendable, Hashable {
    /// Answer 429 (code 971) with `Retry-After: seconds`, changing nothing.
    case rateLimited(retryAfterSeconds: Int)
    /// Answer 500, changing nothing.
    case serverError
    /// Wait, then handle the request normally.
    case slow(Duration)
    /// Close the connection without answering, changing nothing.
    case drop
    /// Apply the request, then hold the connection for `hold` without answering and drop it:
    /// a write that lands but whose answer never comes.
    case lostAnswer(hold: Duration)
}
