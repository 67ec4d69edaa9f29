import Raft
import SansIO

/// Builds simulations of Vantage nodes running the Raft-lite election, the shape every election
/// scenario uses. Node `i` is voter `node-i` in region `i mod 3`; the voter set is every node,
/// as configured (never the membership view).
public struct ElectionCluster: Sendable {
    public var configuration: SimulationConfiguration
    public var settings: ElectionSettings
    /// False switches persistence off (test-only): restarts forget term and vote.
    public var durableStore: Bool

    public init(configuration: SimulationConfiguration, settings: ElectionSettings = ElectionSettings(),
                durableStore: Bool = true) {
        self.configuration = configuration
        self.settings = settings
        self.durableStore = durableStore
    }

    /// A new simulation with the election invariants installed.
    public func simulation(seed: UInt64) -> Simulation {
        let voters = (0..<configuration.nodeCount).map { NodeIdentity(index: $0, region: 0).name }
        let settings = settings, durable = durableStore
        let simulation = Simulation(seed: seed, configuration: configuration) { _ in
            ComponentHost(components: [ElectionComponent(voters: voters, settings: settings, durableStore: durable)])
        }
        simulation.add(ElectionInvariants(settings: settings))
        return simulation
    }

    /// Node `node`'s election instance, nil while it is down or not yet started.
    public static func election(of node: Int, in simulation: Simulation) -> Election? {
        (simulation.process(of: node) as? ComponentHost)?.component(ElectionComponent.self)?.election
    }

    /// The node holding a valid lease right now, if any.
    public static func leaseHolder(in simulation: Simulation) -> Int? {
        (0..<simulation.nodeCount).first { node in
            election(of: node, in: simulation)?.leadership(now: simulation.localTime(of: node)).isLeaseValid == true
        }
    }
}
