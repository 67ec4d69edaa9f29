import SansIO

/// The runtime's one source of `now` for the sans-IO cores: `ContinuousClock` (monotonic, never
/// stepped by NTP) measured from process start, as a `SansIO.Instant`.
public struct MonotonicClock: Sendable {
    private let origin: ContinuousClock.Instant

    public init() { origin = .now }

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
