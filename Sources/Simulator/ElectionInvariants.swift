import Raft
import SansIO

/// The election's safety properties (DESIGN.md invariants 1 and 2; issue 4), checked after every
/// event, each against what the nodes did rather than what they say about themselves:
///
/// 1. **One leader per term** (Raft thesis §3.4, Election Safety): no two nodes become leader in
///    the same term.
/// 2. **Leases never overlap** (thesis §6.4.1): no two nodes hold a valid lease at the same true
///    instant. A lease counts until its expiry even if its holder crashed (it may have written just
///    before); a leader that hands over on graceful shutdown gives it up at that instant (§3.10).
/// 3. **A lease starts no later than the heartbeat round behind it**: every claimed lease, counted
///    back from its expiry by the lease this checker derives itself (`E × (1 − d) − margin`, the
///    formula of `ElectionSettings`), starts at or before the true send time of a heartbeat round
///    of that node and term that a majority received (the simulator records every round's true
///    send time and who acknowledged it). A lease counted from an acknowledgement's arrival, or
///    derived without the drift term, starts later and is caught at the first lease it claims.
///    (A single voter is its own majority and sends no rounds, so its lease has nothing to be held
///    against.)
/// 4. **Durable state never goes back** (thesis §3.8): what a node's disk holds — not what its
///    process believes — never lowers its term, nor changes a vote within a term, across restarts.
/// 5. **One vote per term, on the wire**: a node never grants (or requests, for itself) votes for two
///    candidates in one term, across restarts.
/// 6. **Nothing is sent ahead of the disk** (thesis §3.8, Figure 3.1: persist before responding):
///    when a node sends a message carrying term `t`, its disk already holds term `t` or later, and
///    a vote it grants or requests is the one its disk holds for that term. A store that
///    acknowledges writes it did not make durable is caught here.
///
/// Every lease becomes valid at an event on its holder (the majority-acknowledging heartbeat ack),
/// so checking the node of every event sees every lease the moment it starts.
public struct ElectionInvariants: Invariant {
    public let name = "election"
    /// Every lease seen valid, per node and term, in true time.
    public let leases: LeaseLedger
    /// The lease as DESIGN.md defines it, restated here rather than read from `ElectionSettings`,
    /// so a wrong formula there is caught by what the nodes do.
    private let referenceLease: Duration
    private var leaderOfTerm: [UInt64: Int] = [:]
    /// Per node: the disk's write count when last read, and what it held then.
    private var durable: [Int: (writes: Int, state: PersistentState?)] = [:]
    /// Per node and term: the candidate it voted for, as seen on the wire.
    private var votes: [Int: [UInt64: String]] = [:]
    private var rounds: [RoundKey: RoundLog] = [:]

    private struct RoundKey: Hashable {
        let node: Int
        let term: UInt64
    }

    /// Heartbeat rounds of one leader in one term.
    private struct RoundLog {
        /// True send time of each round not yet known to have reached a majority.
        var sent: [UInt64: Instant] = [:]
        var acknowledgedBy: [UInt64: Set<Int>] = [:]
        /// The newest round a majority received, and its true send time.
        var latestMajority: (round: UInt64, sent: Instant)?
    }

    public init(settings: ElectionSettings = ElectionSettings(), leases: LeaseLedger = LeaseLedger()) {
        self.leases = leases
        referenceLease = settings.electionTimeoutMin.scaled(by: 1 - settings.maxClockDrift) - settings.leaseMargin
    }

    public mutating func check(after entry: TraceEntry, observations: [Observation], in simulation: Simulation) -> String? {
        let quorum = simulation.nodeCount / 2 + 1
        for observation in observations {
            if let problem = check(observation, quorum: quorum, in: simulation) { return problem }
        }
        // A node's disk, vote and lease change only at its own events (time passing can only end a
        // lease), so checking the node the event happened at sees every change as it happens.
        let affected = entry.node.map { $0..<($0 + 1) } ?? 0..<simulation.nodeCount
        for node in affected {
            if let problem = checkDisk(of: node, in: simulation) { return problem }
            guard let host = simulation.process(of: node) as? ComponentHost else { continue }
            let leadership = host.leadership(now: simulation.localTime(of: node))
            guard leadership.isLeaseValid, let expiry = leadership.leaseExpiry else { continue }
            let clock = simulation.clock(of: node)
            let claimedStart = clock.trueTime(reaching: expiry - referenceLease)
            let backing = rounds[RoundKey(node: node, term: leadership.term)]?.latestMajority
            // A single voter is its own majority and sends no rounds: nothing to hold its start against.
            guard quorum == 1 || backing.map({ claimedStart <= $0.sent }) == true else {
                let round = backing.map { "round \($0.round), sent at \(format($0.sent))" } ?? "no round a majority received"
                return "node-\(node) claims a lease (term \(leadership.term)) from \(format(claimedStart)) but its newest heartbeat round a majority received is \(round)"
            }
            for (other, end) in leases.latestEnd where other != node && end > simulation.now {
                return "node-\(node) holds a valid lease (term \(leadership.term)) while node-\(other)'s lease runs until \(format(end))"
            }
            leases.extend(node: node, term: leadership.term, until: clock.trueTime(reaching: expiry))
        }
        return nil
    }

    private mutating func check(_ observation: Observation, quorum: Int, in simulation: Simulation) -> String? {
        let node = observation.node
        switch observation.event {
        case ElectionEvent.becameLeader(let term):
            if let other = leaderOfTerm[term], other != node {
                return "node-\(other) and node-\(node) both became leader in term \(term)"
            }
            leaderOfTerm[term] = node
        case ElectionEvent.steppedDown(let term, .transferredLeadership):
            leases.relinquish(node: node, term: term, at: observation.time)
        case let sent as ElectionMessageSent:
            return check(sent, from: node, at: observation.time, quorum: quorum, in: simulation)
        default:
            break
        }
        return nil
    }

    private mutating func check(_ sent: ElectionMessageSent, from node: Int, at time: Instant, quorum: Int,
                                in simulation: Simulation) -> String? {
        let term: UInt64
        var vote: String?
        switch sent.message {
        case .voteResponse(let t, let granted):
            term = t
            if granted { vote = sent.to }
        case .voteRequest(let t, _):
            term = t
            vote = simulation.identity(of: node).name
        case .heartbeat(let t, let round):
            term = t
            var log = rounds[RoundKey(node: node, term: t), default: RoundLog()]
            if log.sent[round] == nil, round > (log.latestMajority?.round ?? 0) {
                log.sent[round] = time
                log.sent = log.sent.filter { $0.key + 100 > round }
            }
            rounds[RoundKey(node: node, term: t)] = log
        case .heartbeatAck(let t, let round, let accepted):
            term = t
            if accepted, let leader = simulation.index(ofAddress: sent.to) { acknowledge(round, term: t, of: leader, by: node, quorum: quorum) }
        case .timeoutNow(let t):
            term = t
        case .preVoteRequest, .preVoteResponse:
            return nil
        }
        if let vote {
            if let earlier = votes[node, default: [:]][term], earlier != vote {
                return "node-\(node) voted for \(earlier) and then for \(vote) in term \(term)"
            }
            votes[node, default: [:]][term] = vote
        }
        let disk = durableState(of: node, in: simulation) ?? .initial
        let covered = disk.currentTerm > term || (disk.currentTerm == term && (vote == nil || disk.votedFor == vote))
        guard covered else {
            return "node-\(node) sent \(sent.message) to \(sent.to) while its disk holds term \(disk.currentTerm), vote \(disk.votedFor ?? "none"): it went out before the write was durable"
        }
        return nil
    }

    /// `follower` acknowledged `round`: it received that round and, having heard from the leader
    /// after every earlier round was sent, counts for those too (as the leader counts it).
    private mutating func acknowledge(_ round: UInt64, term: UInt64, of leader: Int, by follower: Int, quorum: Int) {
        let key = RoundKey(node: leader, term: term)
        guard var log = rounds[key] else { return }
        var newest: UInt64?
        for (earlier, _) in log.sent where earlier <= round {
            log.acknowledgedBy[earlier, default: []].insert(follower)
            if log.acknowledgedBy[earlier]!.count + 1 >= quorum, earlier > (newest ?? 0) { newest = earlier }
        }
        if let newest, let sent = log.sent[newest] {
            log.latestMajority = (newest, sent)
            log.sent = log.sent.filter { $0.key > newest }
            log.acknowledgedBy = log.acknowledgedBy.filter { $0.key > newest }
        }
        rounds[key] = log
    }

    /// What node `node`'s disk holds now (re-read only after a write).
    private mutating func durableState(of node: Int, in simulation: Simulation) -> PersistentState? {
        let disk = simulation.disk(of: node)
        if let cached = durable[node], cached.writes == disk.writeCount { return cached.state }
        let state = try? DiskTermStore.load(from: disk)
        durable[node] = (disk.writeCount, state)
        return state
    }

    /// Invariant 4: the disk's term never goes back and its vote never changes within a term.
    private mutating func checkDisk(of node: Int, in simulation: Simulation) -> String? {
        let previous = durable[node]?.state
        guard let state = durableState(of: node, in: simulation), let previous else { return nil }
        if state.currentTerm < previous.currentTerm {
            return "node-\(node)'s durable term went back from \(previous.currentTerm) to \(state.currentTerm)"
        }
        if state.currentTerm == previous.currentTerm, let vote = previous.votedFor, state.votedFor != vote {
            return "node-\(node)'s disk voted for \(vote) and then \(state.votedFor ?? "nobody") in term \(state.currentTerm)"
        }
        return nil
    }

    private func format(_ instant: Instant) -> String { String(format: "%.6f s", instant.seconds) }
}
