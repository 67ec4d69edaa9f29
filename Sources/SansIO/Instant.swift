/// A point on one node's local monotonic clock, in nanoseconds.
///
/// Every sans-IO core takes `now: Instant` as an input instead of reading a clock, so the
/// deterministic simulator (virtual time, per-node skew and drift) and the real runtime
/// (`ContinuousClock`) can drive the same code. Two instants are only comparable when they come
/// from the same node's clock.
public struct Instant: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// Nanoseconds since the clock's arbitrary origin.
    public var nanoseconds: Int64

    @inlinable
    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// The clock's origin.
    public static let zero = Instant(nanoseconds: 0)

    @inlinable
    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    @inlinable
    public static func + (lhs: Instant, rhs: Duration) -> Instant {
        Instant(nanoseconds: lhs.nanoseconds &+ rhs.nanoseconds)
    }

    @inlinable
    public static func - (lhs: Instant, rhs: Duration) -> Instant {
        Instant(nanoseconds: lhs.nanoseconds &- rhs.nanoseconds)
    }

    /// The time elapsed from `rhs` to `lhs` (negative when `rhs` is later).
    @inlinable
    public static func - (lhs: Instant, rhs: Instant) -> Duration {
        .nanoseconds(lhs.nanoseconds &- rhs.nanoseconds)
    }

    @inlinable
    public static func += (lhs: inout Instant, rhs: Duration) { lhs = lhs + rhs }

    /// Seconds since the origin, for logs and reports.
    public var seconds: Double { Double(nanoseconds) / 1e9 }

    public var description: String { "t=\(seconds)s" }
}

extension Duration {
    /// The duration as whole nanoseconds (sub-nanosecond parts are truncated).
    @inlinable
    public var nanoseconds: Int64 {
        let parts = components
        return parts.seconds &* 1_000_000_000 &+ parts.attoseconds / 1_000_000_000
    }

    /// The duration in seconds as a floating-point number, for reports and scaling.
    @inlinable
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    /// This duration multiplied by a real factor (e.g. Lifeguard's local-health multiplier).
    @inlinable
    public func scaled(by factor: Double) -> Duration {
        .nanoseconds(Int64((Double(nanoseconds) * factor).rounded()))
    }
}
