import SansIO

/// The static shape of a simulated world.
public struct SimulationConfiguration: Sendable {
    public var nodeCount: Int
    public var latency: RegionLatency
    /// Default conditions of every link.
    public var conditions: LinkConditions
    /// Each node's clock reads `skew ∈ [0, maxClockSkew)` ahead of true time.
    public var maxClockSkew: Duration
    /// Each node's clock rate error is drawn from `[-maxDrift, +maxDrift]` parts per billion.
    public var maxDriftPartsPerBillion: Int64
    /// Put every clock at an end of the drift range (`±maxDrift`, by a coin flip per node) instead
    /// of anywhere between: the adversarial case of a slow leader among fast followers.
    public var clockRatesAtExtremes = false
    /// Nodes boot at a uniformly random true time in `[0, startSpread)`.
    public var startSpread: Duration
    /// Number of events kept for violation reports.
    public var traceExcerptLength: Int
    /// How every node's stable storage behaves (the election's term-and-vote writes).
    public var disk: DiskConditions

    /// `nodeCount` nodes spread round-robin over the three-region WAN, clean links, clocks up to
    /// 1 s apart drifting up to 100 ppm, boots spread over the first second.
    public init(nodeCount: Int, latency: RegionLatency = .threeRegionWAN, conditions: LinkConditions = .clean,
                maxClockSkew: Duration = .seconds(1), maxDriftPartsPerBillion: Int64 = 100_000,
                startSpread: Duration = .seconds(1), traceExcerptLength: Int = 20, disk: DiskConditions = .instant) {
        precondition(nodeCount > 0, "a simulation needs at least one node")
        self.nodeCount = nodeCount
        self.latency = latency
        self.conditions = conditions
        self.maxClockSkew = maxClockSkew
        self.maxDriftPartsPerBillion = maxDriftPartsPerBillion
        self.startSpread = startSpread
        self.traceExcerptLength = traceExcerptLength
        self.disk = disk
    }

    /// Node `index` lives in region `index mod regionCount`.
    public func region(of index: Int) -> Int { index % latency.regionCount }
}
