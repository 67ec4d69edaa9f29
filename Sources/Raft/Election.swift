import SansIO

/// One node's Raft-lite election over a fixed, configured voter set: terms and votes only, no log
/// (Raft thesis ch. 3), with PreVote (§9.6), CheckQuorum (§6.2), a clock-drift-safe leader lease
/// (§6.4.1) and leadership transfer on graceful shutdown (§3.10).
///
/// A sans-IO value: the shell calls ``onStart(now:rng:)`` once, then ``onMessage(_:from:now:rng:)``
/// for each decoded message and ``onWakeUp(now:rng:)`` when the last requested wake-up instant is
/// reached, and executes the returned ``ElectionDirective``s in order. The value has no side effects
/// at all: it never touches a store, a clock or a socket.
///
/// **Persistence is a directive** (Raft thesis §3.8, Figure 3.1: `currentTerm` and `votedFor` are
/// "updated on stable storage before responding to RPCs"). Where the election must remember a new
/// term or vote it updates ``persistent`` and returns ``ElectionDirective/persist(_:)``; the shell
/// writes it and reports ``onPersisted(_:now:)`` or ``onPersistFailed(_:error:now:rng:)``. The shell
/// holds every `.send` that follows a `.persist` not yet confirmed until that write is durable
/// (``PersistenceGate``, the rule etcd-raft's `Ready` states: persist before sending), so nothing
/// that depends on the new term or vote leaves the node before it is on disk. Because the write no
/// longer happens inside an input, a slow fsync delays only the replies that depend on it, never
/// the thread the shell shares with SWIM and the failover path. When a write fails, the held
/// sends are dropped and the election falls back to ``durable`` as a follower.
///
/// **Refusing votes while a leader may be alive** (§6.4.1, "disruptive servers"): a node that heard
/// from a leader within `electionTimeoutMin` of its own clock refuses pre-votes and votes, and so
/// does a leader. A (re)started node treats its boot as such contact: before crashing it may have
/// acknowledged a heartbeat that still backs the old leader's lease, and it has forgotten when.
/// A node that stops leading treats that instant as contact too. This rule is what makes the lease
/// safe (derivation on ``ElectionSettings``). The one exception is a transfer campaign
/// (`voteRequest(isTransfer: true)`), which only exists after the leader gave up its lease; a node
/// that itself holds a valid lease still refuses it.
public struct Election: Sendable {
    public let myself: String
    /// The configured voters, this node included, sorted.
    public let voters: [String]
    public let settings: ElectionSettings
    private let peers: [String]
    private let quorum: Int

    /// The term and vote this node acts on: ``durable`` plus the writes it asked for and the
    /// shell has not confirmed yet. Every send that depends on it is held until it is durable.
    public private(set) var persistent: PersistentState
    /// The last state the shell confirmed durable (``onPersisted(_:now:)``), or the loaded one.
    public private(set) var durable: PersistentState
    private var role: Role = .follower
    private var leader: String?
    private var hasStarted = false
    /// After ``onShutdown(now:)`` the node still answers but never campaigns.
    private var isShutDown = false
    /// The last instant this node heard from a live leader, booted or stopped leading.
    private var lastLeaderContact: Instant?
    private var electionDeadline: Instant?
    /// (Pre-)votes received in the current (pre-)campaign, this node's own included.
    private var grants: Set<String> = []
    /// Present exactly while leading.
    private var rounds: HeartbeatRounds?
    private var nextHeartbeat: Instant?

    /// Starts from `persistent`, the term and vote the shell loaded from stable storage
    /// (``TermStore/load()``; ``PersistentState/initial`` when nothing was ever saved; a store that
    /// cannot be read must stop the node, never reset it). Throws if the voter list does not
    /// contain `myself` or the settings are unsafe.
    public init(myself: String, voters: [String], settings: ElectionSettings, persistent: PersistentState) throws {
        let distinct = Set(voters)
        guard distinct.count == voters.count, distinct.contains(myself), !distinct.contains("") else {
            throw ElectionConfigurationError.invalidVoters(myself: myself, voters: voters)
        }
        let problems = settings.validate()
        guard problems.isEmpty else { throw ElectionConfigurationError.unsafeSettings(problems) }
        self.myself = myself
        self.voters = voters.sorted()
        self.settings = settings
        self.peers = self.voters.filter { $0 != myself }
        self.quorum = voters.count / 2 + 1
        self.persistent = persistent
        self.durable = persistent
    }

    // MARK: - Inputs

    /// Starts as a follower. The boot counts as contact with a leader, so this node refuses votes
    /// for `electionTimeoutMin` (see the type's documentation).
    public mutating func onStart(now: Instant, rng: inout some RandomNumberGenerator) -> [ElectionDirective] {
        var output: [ElectionDirective] = []
        hasStarted = true
        lastLeaderContact = now
        resetElectionTimer(now: now, rng: &rng)
        appendWakeUp(to: &output)
        return output
    }

    /// Handles whichever deadlines have passed: CheckQuorum and the next heartbeat round while
    /// leading, otherwise the election timeout (which starts a pre-vote or a campaign).
    public mutating func onWakeUp(now: Instant, rng: inout some RandomNumberGenerator) -> [ElectionDirective] {
        guard hasStarted else { return [] }
        var output: [ElectionDirective] = []
        if role == .leader {
            if settings.checkQuorumEnabled, let deadline = rounds?.checkQuorumDeadline, now >= deadline {
                stepDown(reason: .lostQuorum, now: now, rng: &rng, output: &output)
            } else if let due = nextHeartbeat, now >= due {
                sendHeartbeats(now: now, output: &output)
            }
        } else if !isShutDown, let deadline = electionDeadline, now >= deadline {
            if settings.preVoteEnabled {
                startPreVote(now: now, rng: &rng, output: &output)
            } else {
                campaign(isTransfer: false, now: now, rng: &rng, output: &output)
            }
        }
        appendWakeUp(to: &output)
        return output
    }

    /// Handles one message from `sender`; messages from non-voters (and from itself) are ignored.
    public mutating func onMessage(
        _ message: ElectionMessage, from sender: String, now: Instant, rng: inout some RandomNumberGenerator
    ) -> [ElectionDirective] {
        guard hasStarted, sender != myself, peers.contains(sender) else { return [] }
        var output: [ElectionDirective] = []
        switch message {
        case .preVoteRequest(let term):
            answerPreVote(term: term, from: sender, now: now, rng: &rng, output: &output)
        case .preVoteResponse(let term, let granted):
            if !granted, term > persistent.currentTerm {
                adoptHigherTerm(term, now: now, rng: &rng, output: &output)
            } else if granted, role == .preCandidate, term == persistent.currentTerm + 1 {
                grants.insert(sender)
                if grants.count >= quorum { campaign(isTransfer: false, now: now, rng: &rng, output: &output) }
            }
        case .voteRequest(let term, let isTransfer):
            answerVote(term: term, isTransfer: isTransfer, from: sender, now: now, rng: &rng, output: &output)
        case .voteResponse(let term, let granted):
            if term > persistent.currentTerm {
                adoptHigherTerm(term, now: now, rng: &rng, output: &output)
            } else if granted, role == .candidate, term == persistent.currentTerm {
                grants.insert(sender)
                becomeLeaderIfElected(now: now, output: &output)
            }
        case .heartbeat(let term, let round):
            followHeartbeat(term: term, round: round, from: sender, now: now, rng: &rng, output: &output)
        case .heartbeatAck(let term, let round, let accepted):
            if term > persistent.currentTerm {
                adoptHigherTerm(term, now: now, rng: &rng, output: &output)
            } else if accepted, role == .leader, term == persistent.currentTerm {
                rounds?.recordAcknowledgement(from: sender, round: round, at: now)
            }
        case .timeoutNow(let term):
            // Only the current leader of the current term can hand over (thesis §3.10); a delayed or
            // duplicated copy from an older term is ignored.
            if term == persistent.currentTerm, role == .follower, leader == sender, !isShutDown {
                campaign(isTransfer: true, now: now, rng: &rng, output: &output)
            }
        }
        appendWakeUp(to: &output)
        return output
    }

    /// The shell made `state` durable (the oldest write it was asked for and has not reported).
    /// A candidate whose own vote was all it needed (a single voter) becomes leader only now: a
    /// self-vote counts once it is durable, like every other vote (thesis §3.8).
    public mutating func onPersisted(_ state: PersistentState, now: Instant) -> [ElectionDirective] {
        guard state.currentTerm >= durable.currentTerm else { return [] }
        durable = state
        var output: [ElectionDirective] = []
        becomeLeaderIfElected(now: now, output: &output)
        if !output.isEmpty { appendWakeUp(to: &output) }
        return output
    }

    /// Writing `state` failed. The shell has dropped every send it held behind that write (and
    /// every write queued after it), so nothing that depended on it left the node; the election
    /// falls back to ``durable`` as a follower without a known leader, and campaigns again at its
    /// next timeout. Pre-vote and vote refusals (thesis §6.4.1) keep working from the leader
    /// contact already recorded, which a failed write cannot make earlier.
    public mutating func onPersistFailed(
        _ state: PersistentState, error: String, now: Instant, rng: inout some RandomNumberGenerator
    ) -> [ElectionDirective] {
        var output: [ElectionDirective] = [.event(.persistFailed(attempted: state, error: error))]
        guard hasStarted else { return output }
        // A leader's term is durable before it is elected (``becomeLeaderIfElected(now:output:)``)
        // and its later writes all step it down first, so this only guards the invariant.
        if role == .leader { relinquishLeadership(now: now) }
        persistent = durable
        role = .follower
        grants = []
        setLeader(nil, output: &output)
        resetElectionTimer(now: now, rng: &rng)
        appendWakeUp(to: &output)
        return output
    }

    /// Graceful shutdown. A leader first gives up its lease and role, then sends `timeoutNow` to the
    /// follower that acknowledged most recently so it campaigns at once (thesis §3.10). Afterwards
    /// the node keeps answering (its vote may be needed by the transfer target) but never campaigns.
    public mutating func onShutdown(now: Instant) -> [ElectionDirective] {
        var output: [ElectionDirective] = []
        isShutDown = true
        electionDeadline = nil
        guard role == .leader, let rounds else { return output }
        let target = rounds.mostRecentlyAcknowledgedPeer
        let term = persistent.currentTerm
        relinquishLeadership(now: now)
        setLeader(nil, output: &output)
        output.append(.event(.steppedDown(term: term, reason: .transferredLeadership(to: target))))
        if let target { output.append(.send(.timeoutNow(term: term), to: target)) }
        return output
    }

    // MARK: - Query

    /// Role, term, known leader and lease as of `now`. The DNS writer calls this immediately before
    /// every write and writes only when `isLeaseValid`.
    public func leadership(now: Instant) -> Leadership {
        let expiry = rounds?.leaseExpiry
        return Leadership(
            role: role, term: persistent.currentTerm, leader: leader, leaseExpiry: expiry,
            isLeaseValid: role == .leader && expiry.map { now < $0 } == true)
    }

    // MARK: - Rules

    /// True while this node must refuse (pre)votes: it leads, or it heard from a leader, booted or
    /// stopped leading less than `electionTimeoutMin` ago (thesis §6.4.1).
    private func isWithinLeaderContact(now: Instant) -> Bool {
        if role == .leader { return true }
        guard let contact = lastLeaderContact else { return false }
        return now < contact + settings.electionTimeoutMin
    }

    /// PreVote (thesis §9.6): grant when the requested term is above mine and no leader is live
    /// here. Granting changes no persistent state.
    ///
    /// Two pre-candidates for the same term would each grant the other and then split the real vote
    /// (each votes for itself), costing a whole extra election timeout. So a pre-candidate that grants
    /// a pre-vote to a peer with a lower name for the term it is itself seeking yields: it becomes a
    /// follower with a fresh timeout and keeps its real vote for that peer. Pre-votes change no
    /// persistent state, so this affects only liveness, never safety (thesis §9.6 for PreVote); the
    /// name order guarantees that of two colliding pre-candidates exactly one yields.
    private mutating func answerPreVote(
        term: UInt64, from sender: String, now: Instant, rng: inout some RandomNumberGenerator,
        output: inout [ElectionDirective]
    ) {
        let grant = term > persistent.currentTerm && !isWithinLeaderContact(now: now)
        let reply: ElectionMessage = grant
            ? .preVoteResponse(term: term, granted: true)
            : .preVoteResponse(term: persistent.currentTerm, granted: false)
        output.append(.send(reply, to: sender))
        if grant, role == .preCandidate, term == persistent.currentTerm + 1, sender < myself {
            role = .follower
            grants = []
            resetElectionTimer(now: now, rng: &rng)
        }
    }

    /// RequestVote (thesis §3.4 with the §6.4.1 guard): the new term and the vote go out as one
    /// `.persist` ahead of the grant, which the shell holds until that write is durable.
    private mutating func answerVote(
        term: UInt64, isTransfer: Bool, from sender: String, now: Instant,
        rng: inout some RandomNumberGenerator, output: inout [ElectionDirective]
    ) {
        let refuse = isTransfer
            ? leadership(now: now).isLeaseValid
            : isWithinLeaderContact(now: now)
        let canVote = term > persistent.currentTerm || persistent.votedFor == nil || persistent.votedFor == sender
        guard term >= persistent.currentTerm, !refuse, canVote else {
            output.append(.send(.voteResponse(term: persistent.currentTerm, granted: false), to: sender))
            return
        }
        if term > persistent.currentTerm {
            adoptHigherTerm(term, vote: sender, now: now, rng: &rng, output: &output)
        } else {
            persist(PersistentState(currentTerm: term, votedFor: sender), output: &output)
        }
        resetElectionTimer(now: now, rng: &rng)
        output.append(.send(.voteResponse(term: term, granted: true), to: sender))
    }

    /// A heartbeat from the leader of my term or a newer one: follow it and acknowledge; a stale
    /// one is answered with my term so the old leader steps down (thesis §3.3).
    private mutating func followHeartbeat(
        term: UInt64, round: UInt64, from sender: String, now: Instant,
        rng: inout some RandomNumberGenerator, output: inout [ElectionDirective]
    ) {
        guard term >= persistent.currentTerm else {
            output.append(.send(.heartbeatAck(term: persistent.currentTerm, round: round, accepted: false), to: sender))
            return
        }
        if term > persistent.currentTerm {
            adoptHigherTerm(term, leader: sender, now: now, rng: &rng, output: &output)
        } else {
            if role != .follower { becomeFollower(previousTerm: term, now: now, rng: &rng, output: &output) }
            setLeader(sender, output: &output)
        }
        lastLeaderContact = now
        resetElectionTimer(now: now, rng: &rng)
        output.append(.send(.heartbeatAck(term: term, round: round, accepted: true), to: sender))
    }

    private mutating func startPreVote(now: Instant, rng: inout some RandomNumberGenerator, output: inout [ElectionDirective]) {
        role = .preCandidate
        setLeader(nil, output: &output)
        grants = [myself]
        resetElectionTimer(now: now, rng: &rng)
        if grants.count >= quorum {
            campaign(isTransfer: false, now: now, rng: &rng, output: &output)
            return
        }
        for peer in peers { output.append(.send(.preVoteRequest(term: persistent.currentTerm + 1), to: peer)) }
    }

    /// Raises the term and votes for itself; the requests follow the `.persist`, so the shell sends
    /// them only once the self-vote is durable (thesis §3.4).
    private mutating func campaign(
        isTransfer: Bool, now: Instant, rng: inout some RandomNumberGenerator, output: inout [ElectionDirective]
    ) {
        let term = persistent.currentTerm + 1
        resetElectionTimer(now: now, rng: &rng)
        persist(PersistentState(currentTerm: term, votedFor: myself), output: &output)
        role = .candidate
        setLeader(nil, output: &output)
        grants = [myself]
        output.append(.event(.campaignStarted(term: term, isTransfer: isTransfer)))
        if grants.count >= quorum {
            becomeLeaderIfElected(now: now, output: &output)
            return
        }
        for peer in peers { output.append(.send(.voteRequest(term: term, isTransfer: isTransfer), to: peer)) }
    }

    /// A candidate with a majority of grants leads once its own term and vote are durable; until
    /// then (only possible for a single voter, whose requests need no answers) it waits for
    /// ``onPersisted(_:now:)``.
    private mutating func becomeLeaderIfElected(now: Instant, output: inout [ElectionDirective]) {
        guard role == .candidate, grants.count >= quorum, durable == persistent else { return }
        role = .leader
        electionDeadline = nil
        rounds = HeartbeatRounds(peers: peers, quorum: quorum, lease: settings.lease)
        output.append(.event(.becameLeader(term: persistent.currentTerm)))
        setLeader(myself, output: &output)
        sendHeartbeats(now: now, output: &output)
    }

    private mutating func sendHeartbeats(now: Instant, output: inout [ElectionDirective]) {
        guard var rounds else { return }
        let round = rounds.startRound(at: now)
        self.rounds = rounds
        nextHeartbeat = now + settings.heartbeatInterval
        for peer in peers { output.append(.send(.heartbeat(term: persistent.currentTerm, round: round), to: peer)) }
    }

    /// Persists `(term, vote)` in one write and becomes a follower of `leader` (if known) in that term.
    private mutating func adoptHigherTerm(
        _ term: UInt64, vote: String? = nil, leader newLeader: String? = nil, now: Instant,
        rng: inout some RandomNumberGenerator, output: inout [ElectionDirective]
    ) {
        let previousTerm = persistent.currentTerm
        persist(PersistentState(currentTerm: term, votedFor: vote), output: &output)
        becomeFollower(previousTerm: previousTerm, now: now, rng: &rng, output: &output)
        setLeader(newLeader, output: &output)
    }

    /// Leaves the leader or (pre-)candidate role for follower; a leader records a step-down.
    private mutating func becomeFollower(
        previousTerm: UInt64, now: Instant, rng: inout some RandomNumberGenerator, output: inout [ElectionDirective]
    ) {
        if role == .leader {
            stepDown(reason: .higherTerm(persistent.currentTerm), term: previousTerm, now: now, rng: &rng, output: &output)
        } else if role != .follower {
            role = .follower
            grants = []
            resetElectionTimer(now: now, rng: &rng)
        }
    }

    private mutating func stepDown(
        reason: StepDownReason, term: UInt64? = nil, now: Instant,
        rng: inout some RandomNumberGenerator, output: inout [ElectionDirective]
    ) {
        relinquishLeadership(now: now)
        output.append(.event(.steppedDown(term: term ?? persistent.currentTerm, reason: reason)))
        setLeader(nil, output: &output)
        resetElectionTimer(now: now, rng: &rng)
    }

    /// Drops the lease and the role. Counts as leader contact: this node will not help elect a
    /// successor for `electionTimeoutMin`, which outlasts whatever remained of its own lease.
    private mutating func relinquishLeadership(now: Instant) {
        role = .follower
        rounds = nil
        nextHeartbeat = nil
        grants = []
        lastLeaderContact = now
    }

    // MARK: - Helpers

    /// Acts on `state` from now on and asks the shell to make it durable; every send appended
    /// after this waits for that write (``PersistenceGate``).
    private mutating func persist(_ state: PersistentState, output: inout [ElectionDirective]) {
        guard state != persistent else { return }
        persistent = state
        output.append(.persist(state))
    }

    private mutating func setLeader(_ newLeader: String?, output: inout [ElectionDirective]) {
        guard newLeader != leader else { return }
        leader = newLeader
        output.append(.event(.leaderChanged(leader: newLeader, term: persistent.currentTerm)))
    }

    /// A fresh timeout drawn uniformly from `[electionTimeoutMin, electionTimeoutMax]` (thesis §3.4).
    private mutating func resetElectionTimer(now: Instant, rng: inout some RandomNumberGenerator) {
        guard !isShutDown else { return }
        let span = (settings.electionTimeoutMax - settings.electionTimeoutMin).nanoseconds
        let jitter = Int64.random(in: 0...span, using: &rng)
        electionDeadline = now + settings.electionTimeoutMin + .nanoseconds(jitter)
    }

    private func appendWakeUp(to output: inout [ElectionDirective]) {
        let next: Instant?
        if role == .leader {
            let checkQuorum = settings.checkQuorumEnabled ? rounds?.checkQuorumDeadline : nil
            next = [nextHeartbeat, checkQuorum].compactMap { $0 }.min()
        } else {
            next = electionDeadline
        }
        if let next { output.append(.wakeUp(at: next)) }
    }
}
