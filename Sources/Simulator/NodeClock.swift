import SansIO

/// One simulated node's local clock: `local = skew + true × (1 + drift)`.
///
/// Sans-IO cores only ever see local instants; the engine schedules in true time. A wake-up the
/// node requests for local instant `L` fires at the first true nanosecond whose local reading is
/// at least `L` (never early, at most one nanosecond late), which is what a real timer on a
/// drifting clock does.
public struct NodeClock: Sendable, Equatable {
    /// Local reading at true time zero.
    public var skew: Duration
    /// Rate error in parts per billion (100 ppm = 100_000).
    public var driftPartsPerBillion: Int64

    public init(skew: Duration = .zero, driftPartsPerBillion: Int64 = 0) {
        precondition(driftPartsPerBillion > -1_000_000_000, "a clock must move forward")
        self.skew = skew
        self.driftPartsPerBillion = driftPartsPerBillion
    }

    /// The perfect clock.
    public static let exact = NodeClock()

    private static let billion: Int64 = 1_000_000_000

    /// The node's reading at true time `trueTime`.
    public func local(at trueTime: Instant) -> Instant {
        let t = trueTime.nanoseconds
        // t × ppb / 1e9 with a 128-bit intermediate so hours of simulated time cannot overflow.
        let product = t.multipliedFullWidth(by: driftPartsPerBillion)
        let (correction, _) = Self.billion.dividingFullWidth(product)
        return Instant(nanoseconds: skew.nanoseconds &+ t &+ correction)
    }

    /// The earliest true time at which the local reading is at least `localTime`.
    public func trueTime(reaching localTime: Instant) -> Instant {
        let offset = localTime.nanoseconds &- skew.nanoseconds
        let rate = Self.billion + driftPartsPerBillion
        let (estimate, _) = rate.dividingFullWidth(offset.multipliedFullWidth(by: Self.billion))
        var candidate = estimate
        // The division truncates; step to the exact first instant (at most a couple of steps).
        while local(at: Instant(nanoseconds: candidate)) < localTime { candidate += 1 }
        while local(at: Instant(nanoseconds: candidate - 1)) >= localTime { candidate -= 1 }
        return Instant(nanoseconds: candidate)
    }
}
