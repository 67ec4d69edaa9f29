import Membership
import SansIO

/// Builds simulations of Vantage nodes running SWIM, the shape every membership scenario uses.
///
/// Node `i` is `MemberID(name: "node-i", address: "sim:i")` in region `i mod 3`; the seeds are the
/// first node of each region (nodes 0, 1, 2), as an operator would list one agent per region.
public struct MembershipCluster: Sendable {
    public var configuration: SimulationConfiguration
    public var settings: SWIM.Settings
    /// Check every view after every event (see `MembershipInvariants.scanViews`); on by default up to
    /// 32 nodes.
    public var scanViews: Bool

    public init(configuration: SimulationConfiguration, settings: SWIM.Settings = SWIM.Settings()) {
        self.configuration = configuration
        self.settings = settings
        scanViews = configuration.nodeCount <= 32
    }

    public static func memberID(of identity: NodeIdentity) -> MemberID {
        MemberID(name: identity.name, address: identity.address)
    }

    /// A new simulation with the membership invariants installed.
    public func simulation(seed: UInt64) -> Simulation {
        let settings = settings
        let count = configuration.nodeCount
        let regions = configuration.latency.regionCount
        let seedIdentities = (0..<min(regions, count)).map { NodeIdentity(index: $0, region: configuration.region(of: $0)) }
        let simulation = Simulation(seed: seed, configuration: configuration) { identity in
            let seeds = seedIdentities.filter { $0 != identity }.map(Self.memberID(of:))
            return ComponentHost(components: [
                MembershipComponent(myself: Self.memberID(of: identity), seeds: seeds, settings: settings),
            ])
        }
        simulation.add(MembershipInvariants(scanViews: scanViews))
        return simulation
    }
}
