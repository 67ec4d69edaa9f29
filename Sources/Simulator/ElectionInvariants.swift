import Raft
import SansIO

/// The election's safety properties (DESIGN.md invariants 1 and 2; issue 4), checked after every event:
///
/// 1. At most one leader per term (Raft thesis §3.4, Election Safety).
/// 2. No two nodes hold a valid lease at the same true instant, given the drift bound
///    (thesis §6.4.1): a lease counts until its expiry even if its holder crashed, because the
///    holder may have written just before.
/// 3. Terms never go backwards and a node never votes twice in one term, across restarts
///    (thesis §3.8: what `(currentTerm, votedFor)` persistence guarantees).
///
/// Every lease becomes valid at an event on its holder (the majority-acknowledging heartbeat ack),
/// so checking the node of every event sees every lease the moment it starts.
public struct ElectionInvariants: Invariant {
    public let name = "election"
    private var leaderOfTerm: [UInt64: Int] = [:]
    /// Every lease seen valid, per node and term, in true time.
    public let leases: LeaseLedger
    /// Per node: the highest persisted term seen and the vote cast in it.
    private var persisted: [Int: PersistentState] = [:]

    public init(leases: LeaseLedger = LeaseLedger()) { self.leases = leases }

    public mutating func check(after entry: TraceEntry, observations: [Observation], in simulation: Simulation) -> String? {
        for observation in observations {
            guard case ElectionEvent.becameLeader(let term) = observation.event else { continue }
            if let other = leaderOfTerm[term], other != observation.node {
                return "node-\(other) and node-\(observation.node) both became leader in term \(term)"
            }
            leaderOfTerm[term] = observation.node
        }
        // A node's term, vote and lease change only at its own events (time passing can only end a
        // lease), so checking the node the event happened at sees every change as it happens.
        let affected = entry.node.map { $0..<($0 + 1) } ?? 0..<simulation.nodeCount
        for node in affected {
            guard let election = ElectionCluster.election(of: node, in: simulation) else { continue }
            if let problem = checkPersistence(node: node, state: election.persistent) { return problem }
            let leadership = election.leadership(now: simulation.localTime(of: node))
            guard leadership.isLeaseValid, let expiry = leadership.leaseExpiry else { continue }
            for (other, end) in leases.latestEnd where other != node && end > simulation.now {
                return "node-\(node) holds a valid lease (term \(leadership.term)) while node-\(other)'s lease runs until \(end)"
            }
            leases.extend(node: node, term: leadership.term, until: simulation.clock(of: node).trueTime(reaching: expiry))
        }
        return nil
    }

    private mutating func checkPersistence(node: Int, state: PersistentState) -> String? {
        defer { persisted[node] = state }
        guard let previous = persisted[node] else { return nil }
        if state.currentTerm < previous.currentTerm {
            return "node-\(node)'s term went back from \(previous.currentTerm) to \(state.currentTerm)"
        }
        if state.currentTerm == previous.currentTerm, let vote = previous.votedFor, state.votedFor != vote {
            return "node-\(node) voted for \(vote) and then \(state.votedFor ?? "nobody") in term \(state.currentTerm)"
        }
        return nil
    }
}
