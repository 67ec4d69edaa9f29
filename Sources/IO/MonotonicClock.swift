import SansIO

/// The runtime's one source of `now` for the sans-IO cores: `ContinuousClock` (monotonic, never
/// stepped by NTP) measured from one origin for the whole process, as a `SansIO.Instant`.
///
/// Every instance shares that origin, so instants of different services (a write permit's lease
/// expiry from the election, `now` in the failover path) are comparable. Per-instance origins
/// would make a permit read against a younger clock look later than it is: the unsafe direction.
public struct MonotonicClock: Sendable {
    /// Fixed the first time any clock is made.
    private static let processOrigin = ContinuousClock.now
    private let origin: ContinuousClock.Instant

    public init() { origin = Self.processOrigin }

    /// The current instant.
    public func now() -> Instant { instant(at: .now) }

    /// `moment` as a core instant.
    public func instant(at moment: ContinuousClock.Instant) -> Instant {
        let elapsed = moment - origin
        return Instant(nanoseconds: elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }

    /// The continuous-clock moment of a core instant, for sleeping until it.
    public func moment(at instant: Instant) -> ContinuousClock.Instant {
        origin + .nanoseconds(instant.nanoseconds)
    }
}
