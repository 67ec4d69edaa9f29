import SansIO

/// A node's local clock in the harness: `local = offset + rate × trueTime`, with the rate inside
/// the drift bound under test. True time is the harness's virtual nanoseconds.
struct DriftingClock {
    var offset: Int64
    var rate: Double

    func local(_ trueTime: Int64) -> Instant {
        Instant(nanoseconds: offset + Int64((Double(trueTime) * rate).rounded(.down)))
    }

    /// The first true time (not before `earliest`) at which the local clock reads at least `instant`.
    func trueTime(reaching instant: Instant, notBefore earliest: Int64 = 0) -> Int64 {
        var candidate = max(earliest, Int64((Double(instant.nanoseconds - offset) / rate).rounded(.down)) - 1)
        while local(candidate) < instant { candidate += 1 }
        return candidate
    }
}
