import SansIO

/// A leader's bookkeeping of its heartbeat rounds: when each round was sent, the highest round
/// each follower acknowledged, and the lease that follows from them.
///
/// The lease counts from the send time of the newest round that a majority (the leader included)
/// has acknowledged: every voter in that majority received the round no earlier than it was sent,
/// so each of them refuses (pre)votes until at least `electionTimeoutMin` of its own clock later
/// (Raft thesis §6.4.1; the derivation is on ``ElectionSettings``). A follower that acknowledged a
/// later round also heard from the leader after the earlier one was sent, so per follower only the
/// highest acknowledged round matters.
struct HeartbeatRounds: Sendable {
    private let peers: [String]
    private let quorum: Int
    private let lease: Duration
    /// The most recent round sent; the leader counts as having acknowledged it.
    private(set) var currentRound: UInt64 = 0
    /// Send times of rounds that could still extend the lease; older ones are dropped.
    private var sendTimes: [UInt64: Instant] = [:]
    private var highestAcknowledged: [String: UInt64] = [:]
    private var lastAcknowledgedAt: [String: Instant] = [:]
    /// The newest round a majority acknowledged (0: none yet).
    private(set) var quorumRound: UInt64 = 0
    /// Send time of `quorumRound` plus the lease; `nil` until a majority acknowledged a round.
    private(set) var leaseExpiry: Instant?
    /// Send time of the first round: CheckQuorum's reference point until a majority answers.
    private var firstSend: Instant?

    init(peers: [String], quorum: Int, lease: Duration) {
        self.peers = peers
        self.quorum = quorum
        self.lease = lease
    }

    /// Starts a new round sent at `now` and returns its number.
    mutating func startRound(at now: Instant) -> UInt64 {
        currentRound += 1
        sendTimes[currentRound] = now
        if firstSend == nil { firstSend = now }
        // A round sent a lease ago can only yield an expiry in the past: forget it, which bounds
        // the table at about lease / heartbeatInterval entries even if nobody answers.
        sendTimes = sendTimes.filter { $0.value + lease > now || $0.key == currentRound }
        recomputeLease()
        return currentRound
    }

    /// Records that `peer` acknowledged `round` at `now`. Rounds never sent are ignored.
    mutating func recordAcknowledgement(from peer: String, round: UInt64, at now: Instant) {
        guard round >= 1, round <= currentRound, peers.contains(peer) else { return }
        if round > highestAcknowledged[peer, default: 0] { highestAcknowledged[peer] = round }
        lastAcknowledgedAt[peer] = now
        recomputeLease()
    }

    /// When CheckQuorum steps the leader down: the lease expiry, or one lease after the first
    /// round while no majority has answered yet.
    var checkQuorumDeadline: Instant? {
        leaseExpiry ?? firstSend.map { $0 + lease }
    }

    /// The follower whose last acknowledgement arrived most recently (the transfer target of
    /// thesis §3.10: with no log to compare, recency is what "most up to date" means here).
    var mostRecentlyAcknowledgedPeer: String? {
        // Latest acknowledgement wins; on a tie, the smaller name.
        lastAcknowledgedAt.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
    }

    private mutating func recomputeLease() {
        var acknowledged = peers.map { highestAcknowledged[$0, default: 0] }
        acknowledged.append(currentRound)
        acknowledged.sort(by: >)
        let round = acknowledged[quorum - 1]
        guard round > quorumRound, let sent = sendTimes[round] else { return }
        quorumRound = round
        leaseExpiry = sent + lease
        sendTimes = sendTimes.filter { $0.key >= round }
    }
}
