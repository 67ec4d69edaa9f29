import SansIO

/// The simulated datagram network: per directed link latency (region matrix plus jitter), loss,
/// duplication, reordering, and one-way cuts.
///
/// Every random choice about a datagram comes from its directed link's own generator, derived from
/// the network's stream, so the fate of traffic on one link never depends on traffic elsewhere.
public struct SimulatedNetwork {
    public var latency: RegionLatency
    /// Conditions applied to every link without an override.
    public var conditions: LinkConditions
    /// Per directed link overrides, keyed by `(from, to)` node index.
    public private(set) var linkOverrides: [DirectedLink: LinkConditions] = [:]
    /// Active cuts, in the order they were added.
    public private(set) var cuts: [Cut] = []

    private let root: SeededGenerator
    private var linkGenerators: [DirectedLink: SeededGenerator] = [:]

    /// A directed pair of node indices.
    public struct DirectedLink: Hashable, Sendable {
        public let from: Int
        public let to: Int
        public init(from: Int, to: Int) { self.from = from; self.to = to }
    }

    init(latency: RegionLatency, conditions: LinkConditions, generator: SeededGenerator) {
        self.latency = latency
        self.conditions = conditions
        self.root = generator
    }

    public mutating func setConditions(_ conditions: LinkConditions, from: Int, to: Int) {
        linkOverrides[DirectedLink(from: from, to: to)] = conditions
    }

    public mutating func clearLinkOverrides() { linkOverrides.removeAll() }

    public mutating func add(_ cut: Cut) { cuts.append(cut) }

    /// Removes every cut (the network heals; link conditions are kept).
    public mutating func healAll() { cuts.removeAll() }

    /// Removes the cuts equal to `cut`.
    public mutating func remove(_ cut: Cut) { cuts.removeAll { $0 == cut } }

    /// Whether a datagram from `from` to `to` is blocked by a cut right now.
    public func isCut(from: Int, fromRegion: Int, to: Int, toRegion: Int) -> Bool {
        cuts.contains { $0.from.contains(node: from, region: fromRegion) && $0.to.contains(node: to, region: toRegion) }
    }

    /// The delays after which copies of one datagram arrive: empty when it is lost or cut, two
    /// entries when it is duplicated.
    mutating func transmit(from: Int, fromRegion: Int, to: Int, toRegion: Int) -> [Duration] {
        if isCut(from: from, fromRegion: fromRegion, to: to, toRegion: toRegion) { return [] }
        let link = DirectedLink(from: from, to: to)
        let conditionsHere = linkOverrides[link] ?? conditions
        var generator = linkGenerators[link]
            ?? root.derived(stream: UInt64(truncatingIfNeeded: from) << 32 | UInt64(truncatingIfNeeded: to))
        defer { linkGenerators[link] = generator }
        if conditionsHere.loss > 0, generator.nextUnit() < conditionsHere.loss { return [] }
        let base = latency.oneWay(from: fromRegion, to: toRegion)
        var delays = [delay(base: base, conditions: conditionsHere, generator: &generator)]
        if conditionsHere.duplication > 0, generator.nextUnit() < conditionsHere.duplication {
            delays.append(delay(base: base, conditions: conditionsHere, generator: &generator))
        }
        return delays
    }

    private func delay(base: Duration, conditions: LinkConditions, generator: inout SeededGenerator) -> Duration {
        var factor = 1 + conditions.jitterFactor * generator.nextUnit()
        if conditions.reordering > 0, generator.nextUnit() < conditions.reordering {
            factor += conditions.reorderDelayFactor * generator.nextUnit()
        }
        return base.scaled(by: factor)
    }
}
