import SansIO

/// Everything outside the nodes: the endpoints they check and the DNS provider the leader calls.
/// Nodes reach it only through `ProcessIO` (probe an address, make a DNS call); its answers come
/// back later as events, so latency and faults are part of the deterministic schedule.
public final class SimulatedWorld {
    public let endpoints: SimulatedEndpoints
    public let dns: SimulatedDNSProvider

    init(endpoints: [String], random: SeededGenerator) {
        self.endpoints = SimulatedEndpoints(addresses: endpoints)
        dns = SimulatedDNSProvider(random: random)
    }
}
