import Dispatch
import Failover
import IO
import Membership
import Raft
import SansIO
import Wire

/// The runtime shell of one agent: SWIM membership, the Raft-lite election and the failover path
/// in one actor over one sealed UDP port and one process clock — the runtime twin of the
/// simulator's `ComponentHost`, and the only shell (no service per core).
///
/// It feeds each core `now`, its own seeded random stream and the envelopes of its kind, and
/// carries out their directives: sealed sends, one timer per core, term-and-vote writes on a
/// serial queue behind the `PersistenceGate` (a slow disk delays only the replies that depend on
/// it), DNS calls through `performDNS` (each abandoned at its deadline by the provider), and
/// events to `onEvent`. After every input it hands the failover core the election's leadership
/// when it changed, so a new leader reconciles at once and a fenced write starts when a heartbeat
/// round renews the lease.
public actor AgentRuntime {
    /// Something a core reported, for logs, metrics and alerts.
    public enum Event: Sendable {
        case membership(SWIM.Event)
        case election(ElectionEvent)
        case failover(FailoverEvent)
    }

    /// Carries out one provider call within `deadline` (a `DNSProvider`'s `perform`).
    public typealias PerformDNS = @Sendable (_ request: DNSRequest, _ deadline: Duration) async -> DNSResponse

    private var membership: SWIM.Instance
    private var election: Election
    private var gate = PersistenceGate()
    private var failover: FailoverInstance
    private let store: any TermStore
    private let writer = DispatchQueue(label: "vantage.agent.term-store")
    private let transport: ClusterTransport
    private let clock: MonotonicClock
    private var performDNS: PerformDNS?
    private let onEvent: @Sendable (Event) -> Void
    private var random: (membership: SeededGenerator, election: SeededGenerator, failover: SeededGenerator)
    private var timers: (membership: CoreTimer, election: CoreTimer, failover: CoreTimer) = (CoreTimer(), CoreTimer(), CoreTimer())
    private var forwardedLeadership: Leadership?
    private var started = false
    /// Set by `shutDown`: no new DNS call starts.
    private var stopping = false

    /// Envelopes whose body did not decode, by kind (dropped and counted).
    public private(set) var malformedMessages: [MessageKind: Int] = [:]
    /// Term-and-vote writes that failed (their held sends were dropped).
    public private(set) var failedWrites = 0

    /// `persisted` is the election state loaded from `store` at start (see `DataDirectory`);
    /// `seed` feeds the cores' random streams (drawn from the system's generator by the caller).
    public init(myself: MemberID, seeds: [MemberID], swim: SWIM.Settings = SWIM.Settings(),
                voters: [String], election settings: ElectionSettings, persisted: PersistentState, store: any TermStore,
                failover: FailoverSettings, transport: ClusterTransport, clock: MonotonicClock, seed: UInt64,
                performDNS: PerformDNS?, onEvent: @escaping @Sendable (Event) -> Void = { _ in }) throws {
        membership = SWIM.Instance(myself: myself, seeds: seeds, settings: swim)
        election = try Election(myself: myself.name, voters: voters, settings: settings, persistent: persisted)
        self.failover = FailoverInstance(settings: failover)
        self.store = store
        self.transport = transport
        self.clock = clock
        self.performDNS = performDNS
        self.onEvent = onEvent
        let root = SeededGenerator(seed: seed)
        random = (root.derived(stream: 1), root.derived(stream: 2), root.derived(stream: 3))
    }

    // MARK: - Inputs

    /// Joins through the seeds, starts the election timer and sends the first views.
    public func start() {
        guard !started else { return }
        started = true
        let now = clock.now()
        carry(membership.onStart(now: now, rng: &random.membership))
        carry(election.onStart(now: now, rng: &random.election))
        carry(failover.onStart(now: now, bootEpoch: transport.bootEpoch, leadership: election.leadership(now: now)))
        forwardLeadershipChange()
    }

    /// One envelope from the transport, routed by kind; a body that does not decode is counted.
    public func receive(_ envelope: Envelope) {
        guard started else { return }
        let now = clock.now()
        do throws(DecodeError) {
            switch envelope.kind {
            case .membership:
                carry(membership.onMessage(try SWIM.Message.decode(envelope.body), now: now, rng: &random.membership))
            case .election:
                let message = try ElectionMessage.decode(envelope.body)
                carry(election.onMessage(message, from: envelope.sender, now: now, rng: &random.election))
            case .vote:
                let message = try VoteMessage.decode(envelope.body)
                carry(failover.onVote(message, from: envelope.sender, now: now, leadership: election.leadership(now: now),
                                      rng: &random.failover))
            }
        } catch {
            malformedMessages[envelope.kind, default: 0] += 1
        }
        forwardLeadershipChange()
    }

    /// One result of check `check` (a `LocalViews.Check.id`) from the check scheduler.
    public func checkResult(_ result: CheckResult, check: String) {
        guard started else { return }
        let now = clock.now()
        carry(failover.onCheckResult(result, check: check, now: now, leadership: election.leadership(now: now),
                                     rng: &random.failover))
    }

    /// A reloaded configuration: the failover core takes the new checks, DNS target and intervals
    /// (``FailoverInstance/onReconfigure(_:now:leadership:rng:)``) and later calls go to
    /// `performDNS`. A call in flight finishes on the provider it started on.
    public func reconfigure(_ settings: FailoverSettings, performDNS: PerformDNS?) {
        guard !stopping else { return }
        self.performDNS = performDNS
        let now = clock.now()
        carry(failover.onReconfigure(settings, now: now, leadership: election.leadership(now: now), rng: &random.failover))
    }

    /// Graceful stop: no new DNS call starts, a write in flight is answered or reaches its deadline,
    /// then the leader hands leadership over (Raft thesis §3.10), the agent leaves the membership
    /// (SWIM §4.3), and every timer stops.
    ///
    /// The wait matters: a transfer lets the successor take a lease at once instead of after the
    /// old lease ran out, so a write of the old leader still in flight could otherwise land inside
    /// the successor's lease. It lasts at most one request deadline.
    public func shutDown() async {
        stopping = true
        if let call = failover.leaderState?.inFlight, call.request.isWrite {
            let deadline = clock.now() + call.deadline
            while failover.leaderState?.inFlight?.id == call.id, clock.now() < deadline {
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
        let now = clock.now()
        carry(election.onShutdown(now: now))
        carry(membership.onLeave(now: now))
        timers.membership.cancel()
        timers.election.cancel()
        timers.failover.cancel()
    }

    // MARK: - Queries

    /// Everything the status endpoint and the gauges read, taken at one instant.
    public struct Snapshot: Sendable {
        public var now: Instant
        public var node: String
        public var leadership: Leadership
        /// This agent as a member (alive, its incarnation), then the others as it sees them.
        public var members: [Member]
        public var failover: FailoverInstance
        public var malformedMessages: [MessageKind: Int]
        public var failedWrites: Int
    }

    public func snapshot() -> Snapshot {
        let now = clock.now()
        return Snapshot(now: now, node: election.myself, leadership: election.leadership(now: now),
                        members: [Member(id: membership.myself, status: .alive, incarnation: membership.incarnation)] + membership.members,
                        failover: failover, malformedMessages: malformedMessages, failedWrites: failedWrites)
    }

    public func leadership() -> Leadership { election.leadership(now: clock.now()) }

    /// A permit for one DNS write, or nil unless this node leads with a valid lease right now.
    public func writePermit() -> WritePermit? {
        let now = clock.now()
        return WritePermit(election.leadership(now: now), node: election.myself, now: now)
    }

    /// This node's view of the members (tombstones included), sorted by name.
    public func members() -> [Member] { membership.members }

    /// The failover core, for the status endpoint.
    public func failoverState() -> FailoverInstance { failover }

    // MARK: - Carrying out directives

    private func carry(_ directives: [SWIM.Directive]) {
        for directive in directives {
            switch directive {
            case .send(let message, let member): transport.send(.membership, body: message.encoded(), to: member.name)
            case .wakeUp(let deadline):
                timers.membership.schedule(at: deadline, clock: clock) { [weak self] in await self?.membershipWakeUp() }
            case .event(let event): onEvent(.membership(event))
            }
        }
    }

    private func carry(_ directives: [ElectionDirective]) {
        for directive in gate.admit(directives) { perform(directive) }
    }

    private func perform(_ directive: ElectionDirective) {
        switch directive {
        case .send(let message, let voter): transport.send(.election, body: message.encoded(), to: voter)
        case .wakeUp(let deadline):
            timers.election.schedule(at: deadline, clock: clock) { [weak self] in await self?.electionWakeUp() }
        case .event(let event): onEvent(.election(event))
        case .persist(let state):
            let store = store
            writer.async { [weak self] in
                let outcome = Result<Void, any Error> { try store.save(state) }
                Task { await self?.finishWrite(state, outcome) }
            }
        }
    }

    private func carry(_ directives: [FailoverDirective]) {
        for directive in directives {
            switch directive {
            case .send(let message, let voter): transport.send(.vote, body: message.encoded(), to: voter)
            case .dns(let call):
                guard let performDNS, !stopping else { continue }
                Task { [weak self] in
                    let response = await performDNS(call.request, call.deadline)
                    await self?.dnsAnswered(response, to: call.id)
                }
            case .wakeUp(let deadline):
                timers.failover.schedule(at: deadline, clock: clock) { [weak self] in await self?.failoverWakeUp() }
            case .event(let event): onEvent(.failover(event))
            }
        }
    }

    // MARK: - Callbacks

    private func membershipWakeUp() {
        carry(membership.onWakeUp(now: clock.now(), rng: &random.membership))
    }

    private func electionWakeUp() {
        carry(election.onWakeUp(now: clock.now(), rng: &random.election))
        forwardLeadershipChange()
    }

    private func failoverWakeUp() {
        let now = clock.now()
        carry(failover.onWakeUp(now: now, leadership: election.leadership(now: now), rng: &random.failover))
    }

    private func dnsAnswered(_ response: DNSResponse, to id: UInt64) {
        let now = clock.now()
        carry(failover.onDNSResponse(response, to: id, now: now, leadership: election.leadership(now: now),
                                     rng: &random.failover))
    }

    /// Back on the actor once a term-and-vote write is durable or failed.
    private func finishWrite(_ state: PersistentState, _ outcome: Result<Void, any Error>) {
        let now = clock.now()
        let directives: [ElectionDirective]
        switch outcome {
        case .success:
            directives = gate.writeSucceeded(state, election: &election, now: now)
        case .failure(let error):
            failedWrites += 1
            directives = gate.writeFailed(state, error: String(describing: error), election: &election, now: now,
                                          rng: &random.election)
        }
        for directive in directives { perform(directive) }
        forwardLeadershipChange()
    }

    /// Hands the failover core the election's leadership when it differs from the last it heard.
    private func forwardLeadershipChange() {
        let now = clock.now()
        let current = election.leadership(now: now)
        guard current != forwardedLeadership else { return }
        forwardedLeadership = current
        carry(failover.onLeadership(current, now: now, rng: &random.failover))
    }
}
