import Failover
import Membership
import Raft
import SansIO

/// Builds simulations of whole Vantage agents: every node runs SWIM membership, the Raft-lite
/// election and the failover path together, over the sealed envelopes of one port, against a
/// world of endpoints and a DNS provider. Node `i` is voter `node-i` in region `i mod 3`; the
/// voter set is every node, as configured.
///
/// The zone starts with one record per hostname and pool address (what the operator had before
/// installing Vantage); each endpoint address is checked by one check on every agent.
public struct FailoverCluster: Sendable {
    public var configuration: SimulationConfiguration
    public var election = ElectionSettings()
    public var membership = SWIM.Settings()
    public var hostnames = ["www.example.test"]
    public var pool = ["192.0.2.1", "192.0.2.2", "192.0.2.3"]
    public var minPeersAgree = 1
    public var checkInterval: Duration = .seconds(1)
    public var checkTimeout: Duration = .milliseconds(800)
    public var rise = 2
    public var fall = 3
    public var voteInterval: Duration = .seconds(5)
    public var voteTTL: Duration = .seconds(30)
    public var reconcileInterval: Duration = .seconds(30)
    public var fence = WriteFence()
    public var providerSupportsBatch = true
    public var dryRun = false
    /// Sensitivity switches (production: `.agreeing`, `.failOpen`).
    public var tallyRule = Tally.Rule.agreeing
    public var emptyNamePolicy = DesiredRecords.EmptyNamePolicy.failOpen

    public init(configuration: SimulationConfiguration) {
        self.configuration = configuration
    }

    /// The voter names, in node order.
    public var voters: [String] { (0..<configuration.nodeCount).map { NodeIdentity(index: $0, region: 0).name } }

    /// The failover settings node `identity` runs.
    public func settings(for identity: NodeIdentity) -> FailoverSettings {
        FailoverSettings(
            myself: identity.name, voters: voters,
            checks: pool.map { LocalViews.Check(id: "check-\($0)", address: $0, rise: rise, fall: fall) },
            minPeersAgree: minPeersAgree, voteInterval: voteInterval, voteTTL: voteTTL,
            reconcileInterval: reconcileInterval, dns: DNSTarget(hostnames: hostnames, pool: pool),
            providerSupportsBatch: providerSupportsBatch, fence: fence, dryRun: dryRun, tallyRule: tallyRule,
            emptyNamePolicy: emptyNamePolicy)
    }

    /// A new simulation with the election and failover invariants installed.
    public func simulation(seed: UInt64) -> Simulation {
        let cluster = self
        let regions = configuration.latency.regionCount
        let seedIdentities = (0..<min(regions, configuration.nodeCount)).map {
            NodeIdentity(index: $0, region: configuration.region(of: $0))
        }
        let simulation = Simulation(seed: seed, configuration: configuration, endpoints: pool) { identity in
            let seeds = seedIdentities.filter { $0 != identity }.map(MembershipCluster.memberID(of:))
            return ComponentHost(components: [
                MembershipComponent(myself: MembershipCluster.memberID(of: identity), seeds: seeds,
                                    settings: cluster.membership),
                ElectionComponent(voters: cluster.voters, settings: cluster.election),
                FailoverComponent(settings: cluster.settings(for: identity), interval: cluster.checkInterval,
                                  timeout: cluster.checkTimeout),
            ])
        }
        simulation.world.dns.supportsBatch = providerSupportsBatch
        for name in hostnames {
            for address in pool {
                simulation.world.dns.seed(RecordSpec(name: name, type: RecordType(address: address), content: address,
                                                     proxied: false, ttl: 60))
            }
        }
        let leases = LeaseLedger()
        simulation.add(ElectionInvariants(settings: election, leases: leases))
        simulation.add(FailoverInvariants(leases: leases, minPeersAgree: minPeersAgree, voteTTL: voteTTL,
                                          maxClockDrift: election.maxClockDrift))
        return simulation
    }

    /// Node `node`'s failover instance, nil while it is down.
    public static func failover(of node: Int, in simulation: Simulation) -> FailoverInstance? {
        (simulation.process(of: node) as? ComponentHost)?.component(FailoverComponent.self)?.instance
    }

    /// The addresses the provider holds for `name` that the endpoints' truth says it should hold
    /// once everything has settled: every pool address up from every region, or — when none is —
    /// whatever it holds (fail open). Nil when DNS agrees with the truth.
    public func divergence(in simulation: Simulation, name: String) -> String? {
        let regions = configuration.latency.regionCount
        let endpoints = simulation.world.endpoints
        let held = simulation.world.dns.addresses(of: name)
        let up = Set(pool.filter { endpoints.isUpEverywhere($0, at: simulation.now, regionCount: regions) })
        let down = Set(pool.filter { endpoints.isDownEverywhere($0, at: simulation.now, regionCount: regions) })
        if held.isEmpty { return "\(name) has no records" }
        if up.isEmpty { return nil }
        let missing = up.subtracting(held), extra = held.intersection(down)
        guard !missing.isEmpty || !extra.isEmpty else { return nil }
        return "\(name) holds \(held.sorted()) but \(up.sorted()) are up and \(down.sorted()) down"
    }
}
