import Failover
import Raft
import SansIO

/// The failover path's safety properties (DESIGN.md invariants 2–4), checked after every event
/// against the world's ledger of landed writes and each node's view history — the simulator's own
/// record of what happened, never the cores' claims:
///
/// - **Writes are fenced** (2): a write starts only on a node whose election says it leads with a
///   valid lease in the permit's term; a write lands before that (node, term) lease ran out in
///   true time; and no two nodes ever have writes that can still land at the same time.
/// - **Removals are agreed** (3): when a write leaves a name without an address, at least
///   `minPeersAgree + 1` distinct agents held a down view of it within the vote TTL (stretched by
///   the drift bound) before the write was sent.
/// - **Names are never emptied** (4): a name that ever had records never has zero after a write.
///
/// A `lateWrite` (applied after its client abandoned it) is outside what a lease can fence: it is
/// counted in ``lateWrites`` and exempt from these checks; later reconciles must repair it.
public struct FailoverInvariants: Invariant {
    public let name = "failover"
    private let leases: LeaseLedger
    private let threshold: Int
    /// How far back a down view can have been received and still count.
    private let evidenceWindow: Duration
    private var checkedWrites = 0
    /// Per address, per node: (true time, state) transitions of the node's own view.
    private var history: [String: [Int: [(time: Instant, state: EndpointView.State)]]] = [:]
    public private(set) var lateWrites = 0

    public init(leases: LeaseLedger, minPeersAgree: Int, voteTTL: Duration, maxClockDrift: Double) {
        self.leases = leases
        threshold = minPeersAgree + 1
        evidenceWindow = voteTTL.scaled(by: 1 / (1 - maxClockDrift)) + .seconds(1)
    }

    public mutating func check(after entry: TraceEntry, observations: [Observation], in simulation: Simulation) -> String? {
        for observation in observations {
            switch observation.event {
            case let event as FailoverEvent:
                if case .viewChanged(let view) = event {
                    history[view.address, default: [:]][observation.node, default: []].append((observation.time, view.state))
                }
            case is FailoverComponentStarted:
                for address in history.keys {
                    history[address]![observation.node, default: []].append((observation.time, .unknown))
                }
            case let started as DNSCallStarted where started.call.request.isWrite:
                if let problem = checkWriter(started.call, node: observation.node, in: simulation) { return problem }
            default: break
            }
        }
        let dns = simulation.world.dns
        guard checkedWrites < dns.landedWrites.count else { return nil }
        defer { checkedWrites = dns.landedWrites.count }
        for write in dns.landedWrites[checkedWrites...] {
            if write.isLate {
                lateWrites += 1
                continue
            }
            if let problem = checkLanding(write) ?? checkRemovals(write) { return problem }
            for name in dns.namesEverFilled where dns.addresses(of: name).isEmpty {
                return "node-\(write.writer)'s write (\(write.call.request)) left \(name) with no records"
            }
        }
        return nil
    }

    private func checkWriter(_ call: DNSCall, node: Int, in simulation: Simulation) -> String? {
        guard let permit = call.permit else { return "node-\(node) started a write without a permit: \(call.request)" }
        let host = simulation.process(of: node) as? ComponentHost
        let leadership = host?.leadership(now: simulation.localTime(of: node))
        guard let leadership, leadership.isLeaseValid, leadership.term == permit.term,
              leadership.leader == simulation.identity(of: node).name else {
            return "node-\(node) started a write in term \(permit.term) without a valid lease: \(call.request)"
        }
        for (_, flight) in simulation.world.dns.flights
        where flight.writer != node && !flight.isLate && flight.landAt.map({ $0 > simulation.now }) == true {
            return "node-\(node) started a write while node-\(flight.writer)'s write can still land: \(call.request)"
        }
        return nil
    }

    private func checkLanding(_ write: SimulatedDNSProvider.LandedWrite) -> String? {
        guard let term = write.call.permit?.term else { return "a write without a permit landed: \(write.call.request)" }
        guard let end = leases.end(node: write.writer, term: term), write.time < end else {
            let ended = leases.end(node: write.writer, term: term).map { String(format: "%.6f s", $0.seconds) } ?? "never held"
            return "node-\(write.writer)'s write (\(write.call.request)) landed at "
                + String(format: "%.6f s", write.time.seconds) + " outside its term-\(term) lease (\(ended))"
        }
        return nil
    }

    private func checkRemovals(_ write: SimulatedDNSProvider.LandedWrite) -> String? {
        for (name, address) in write.removed {
            let from = write.sentAt - evidenceWindow
            let agreeing = (history[address] ?? [:]).filter { _, transitions in
                Self.wasDown(transitions, from: from, to: write.sentAt)
            }.keys.sorted()
            if agreeing.count < threshold {
                return "node-\(write.writer) removed \(address) from \(name) with down views from only "
                    + "\(agreeing.count) agents (\(agreeing.map { "node-\($0)" }.joined(separator: ", "))); \(threshold) required"
            }
        }
        return nil
    }

    /// Whether the view held `down` at some instant of `[from, to]`.
    static func wasDown(_ transitions: [(time: Instant, state: EndpointView.State)], from: Instant, to: Instant) -> Bool {
        var stateAtFrom: EndpointView.State = .unknown
        for transition in transitions {
            if transition.time <= from {
                stateAtFrom = transition.state
            } else if transition.time <= to, transition.state == .down {
                return true
            }
        }
        return stateAtFrom == .down
    }
}
