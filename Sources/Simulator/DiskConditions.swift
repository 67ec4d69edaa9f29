import SansIO

/// How a simulated node's stable storage behaves when the election persists its term and vote
/// (`ElectionDirective.persist`): how long an fsync takes and how often it fails.
///
/// A write lands on the node's `SimulatedDisk` only when it completes; a crash before that loses
/// it, and a failed write never lands. The default, ``instant``, completes every write within the
/// input that asked for it and never fails (the figures of the election and failover scenarios
/// are measured so); the disk-fault swarm uses slow and failing writes.
public struct DiskConditions: Sendable, Equatable {
    /// Every write takes at least this long.
    public var latency: Duration
    /// The chance that a write is slow: it takes `latency` plus up to `slowLatency` more (uniform).
    public var slowProbability: Double
    public var slowLatency: Duration
    /// The chance that a write fails (reported to the election once its time has passed).
    public var failureProbability: Double

    public init(latency: Duration = .zero, slowProbability: Double = 0, slowLatency: Duration = .zero,
                failureProbability: Double = 0) {
        self.latency = latency
        self.slowProbability = slowProbability
        self.slowLatency = slowLatency
        self.failureProbability = failureProbability
    }

    /// Writes complete at once and never fail.
    public static let instant = DiskConditions()

    var isInstant: Bool { latency == .zero && slowProbability == 0 && failureProbability == 0 }

    /// One write: how long it takes and whether it fails, drawn from `random`.
    func draw(_ random: inout SeededGenerator) -> (latency: Duration, fails: Bool) {
        var total = latency
        if random.nextUnit() < slowProbability { total += slowLatency.scaled(by: random.nextUnit()) }
        return (total, random.nextUnit() < failureProbability)
    }
}
