import Failover
import SansIO

/// The failover swarm: every failover fault at random per seed on top of the swarm's network and
/// node faults and the leader nemesis, with the election and failover invariants after every event
/// and convergence checked at the end.
///
/// Per seed: `min_peers_agree` 1 or 2; one to three endpoint outages (an address or, one time in
/// five, the whole pool; from every region or from one; once or flapping; sometimes from the very
/// start, before any check has passed); up to two windows of provider faults (429, 5xx, timeouts,
/// lost answers, and rarely writes applied after their deadline). Faults stop 90 s before the end;
/// then every node is restarted, links heal, and DNS must match the endpoints' truth.
extension Scenario {
    /// Stream tag for the failover swarm's own choices.
    static let failoverSwarmStream: UInt64 = 0x5A4A_F00D

    /// The sensitivity switches a test may turn (production values by default).
    public struct FailoverRules: Sendable {
        public var tallyRule = Tally.Rule.agreeing
        public var emptyNamePolicy = DesiredRecords.EmptyNamePolicy.failOpen
        public var fenceEnabled = true

        public init(tallyRule: Tally.Rule = .agreeing, emptyNamePolicy: DesiredRecords.EmptyNamePolicy = .failOpen,
                    fenceEnabled: Bool = true) {
            self.tallyRule = tallyRule
            self.emptyNamePolicy = emptyNamePolicy
            self.fenceEnabled = fenceEnabled
        }
    }

    public static func failoverSwarm(seed: UInt64, settings: Settings, rules: FailoverRules = FailoverRules()) -> ScenarioRun {
        var random = SeededGenerator(seed: seed).derived(stream: failoverSwarmStream)
        var cluster = failoverCluster(settings, minPeersAgree: Int.random(in: 1...2, using: &random))
        cluster.configuration.maxDriftPartsPerBillion = 49_000_000
        cluster.tallyRule = rules.tallyRule
        cluster.emptyNamePolicy = rules.emptyNamePolicy
        cluster.fence.isEnabled = rules.fenceEnabled
        let simulation = cluster.simulation(seed: seed)
        let quiet: Duration = .seconds(90)
        let faultEnd = Instant.zero + max(settings.duration - quiet, .seconds(20))
        let plan = SwarmPlan(generator: SeededGenerator(seed: seed).derived(stream: electionStream),
                             nodeCount: settings.nodes, regionCount: cluster.configuration.latency.regionCount,
                             warmUp: .seconds(10), duration: faultEnd - .zero)
        plan.apply(to: simulation)
        _ = targetLeaseHolders(simulation, seed: seed)
        scheduleOutages(cluster, simulation, until: faultEnd, &random)
        simulation.world.dns.faults = providerFaults(until: faultEnd, &random)
        _ = simulation.run(until: faultEnd)
        // Quiet: every fault stops, every node runs, every link is clean.
        simulation.network.conditions = .clean
        simulation.schedule(.heal, at: simulation.now)
        for node in 0..<settings.nodes { simulation.schedule(.restart(node: node), at: simulation.now) }
        _ = simulation.run(until: faultEnd + quiet)
        let unconverged = cluster.hostnames.compactMap { cluster.divergence(in: simulation, name: $0) }
        return ScenarioRun(simulation, measurements: [
            Measurement("unconverged", unconverged.isEmpty ? 0 : 1, .sum),
            Measurement("duplicate_records", Double(simulation.world.dns.duplicateRecords), .sum),
            Measurement("faults", Double(plan.faults.count), .sum),
            Measurement("dns_writes", Double(simulation.world.dns.landedWrites.count), .mean),
        ])
    }

    private static func scheduleOutages(_ cluster: FailoverCluster, _ simulation: Simulation, until end: Instant,
                                        _ random: inout SeededGenerator) {
        let regions = cluster.configuration.latency.regionCount
        let latestStart = max(5_001, (end - Instant.zero).nanoseconds / 1_000_000)
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let addresses = random.nextUnit() < 0.2 ? cluster.pool : [cluster.pool[Int.random(in: 0..<cluster.pool.count, using: &random)]]
            let fromStart = random.nextUnit() < 0.25
            let start = fromStart ? Instant.zero : .zero + .milliseconds(Int64.random(in: 5_000...latestStart, using: &random))
            let flapping = random.nextUnit() < 0.2
            let lasting = !flapping && random.nextUnit() < 0.4
            let stop: Instant? = lasting ? nil : min(end, start + .milliseconds(Int64.random(in: 2_000...60_000, using: &random)))
            let regionSet: Set<Int>? = random.nextUnit() < 0.3 ? [Int.random(in: 0..<regions, using: &random)] : nil
            let period: Duration? = flapping ? .milliseconds(Int64.random(in: 1_000...6_000, using: &random)) : nil
            for address in addresses {
                simulation.world.endpoints.add(.init(address: address, regions: regionSet, start: start, end: stop,
                                                     flapPeriod: period))
            }
        }
    }

    private static func providerFaults(until end: Instant, _ random: inout SeededGenerator) -> DNSFaultPlan {
        var windows: [DNSFaultPlan.Window] = []
        let latestStart = max(5_001, (end - Instant.zero).nanoseconds / 1_000_000)
        for _ in 0..<Int.random(in: 0...2, using: &random) {
            let start = Instant.zero + .milliseconds(Int64.random(in: 5_000...latestStart, using: &random))
            let stop = min(end, start + .milliseconds(Int64.random(in: 5_000...120_000, using: &random)))
            let kind: DNSFaultPlan.Kind
            switch Int.random(in: 0..<5, using: &random) {
            case 0: kind = .rateLimited(retryAfter: .milliseconds(Int64.random(in: 500...5_000, using: &random)))
            case 1: kind = .serverError
            case 2: kind = .timeout
            case 3: kind = .lostAnswer
            default: kind = .lateWrite
            }
            let probability = kind == .lateWrite ? 0.05 : 0.2 + 0.7 * random.nextUnit()
            windows.append(.init(start: start, end: stop, kind: kind, probability: probability))
        }
        return DNSFaultPlan(windows: windows)
    }

    public static let failoverSwarm = Scenario(
        name: "failover-swarm", summary: "every failover, network and node fault at random; invariants and convergence",
        defaultDuration: .seconds(240), minimumNodes: 3, livenessFailures: ["unconverged", "duplicate_records"]
    ) { seed, settings in
        failoverSwarm(seed: seed, settings: settings)
    }
}
