import Dispatch
import Failover
import IO
import Probe
import Raft
import SansIO
import Wire

/// The runtime shell around one `Election` (the thin actor over a value-type core, as in
/// swift-cluster-membership): feeds it `now` from the monotonic clock and messages from the
/// transport, carries out its directives (sealed UDP sends, one pending timer, term-and-vote
/// writes), and answers the leader query the rest of the node asks before every DNS write.
///
/// Writes (`ElectionDirective.persist`) run on the service's own serial queue with the store's
/// `save` (for `FileTermStore`: write a temporary file, fsync, rename), and report back into the
/// actor; the `PersistenceGate` holds every send behind a write until it is durable (Raft thesis
/// §3.8, Figure 3.1) and drops them if it fails. So a slow disk delays only the replies that depend
/// on it; the actor keeps serving the leader query, and SWIM on the same port keeps probing.
public actor ElectionService {
    private var election: Election
    private var gate = PersistenceGate()
    private let store: any TermStore
    private let writer = DispatchQueue(label: "vantage.election.term-store")
    private let transport: ClusterTransport
    private let clock: MonotonicClock
    private var random: SeededGenerator
    private var timer = CoreTimer()
    private let onEvent: @Sendable (ElectionEvent) -> Void
    /// Election envelopes whose body did not decode (dropped).
    public private(set) var malformedMessages = 0
    /// Term-and-vote writes that failed (their held sends were dropped).
    public private(set) var failedWrites = 0

    /// Loads the persisted term and vote from `store` (throwing if it cannot be read: a corrupt
    /// store stops the node, it is never silently reset) and builds the election from them.
    /// `seed` feeds the election's randomized timeouts; the caller draws it from the system's
    /// generator, so the core itself stays deterministic under test.
    public init(myself: String, voters: [String], settings: ElectionSettings, store: any TermStore,
                transport: ClusterTransport, clock: MonotonicClock, seed: UInt64,
                onEvent: @escaping @Sendable (ElectionEvent) -> Void = { _ in }) throws {
        election = try Election(myself: myself, voters: voters, settings: settings, persistent: try store.load() ?? .initial)
        self.store = store
        self.transport = transport
        self.clock = clock
        random = SeededGenerator(seed: seed)
        self.onEvent = onEvent
    }

    /// Starts the election timer.
    public func start() {
        let directives = election.onStart(now: clock.now(), rng: &random)
        carry(directives)
    }

    /// Hands over one election envelope; malformed bodies are dropped and counted (the sender was
    /// authenticated, so this is a bug or a version skew worth counting, not crashing on).
    public func receive(_ envelope: Envelope) {
        guard envelope.kind == .election else { return }
        guard let message = try? ElectionMessage.decode(envelope.body) else {
            malformedMessages += 1
            return
        }
        let directives = election.onMessage(message, from: envelope.sender, now: clock.now(), rng: &random)
        carry(directives)
    }

    /// Who leads, in which term, and whether this node's lease is valid now.
    public func leadership() -> Leadership { election.leadership(now: clock.now()) }

    /// A permit for one DNS write, or nil unless this node leads with a valid lease right now.
    public func writePermit() -> WritePermit? {
        let now = clock.now()
        return WritePermit(election.leadership(now: now), node: election.myself, now: now)
    }

    /// Graceful shutdown: hands leadership over (Raft thesis §3.10) and stops the timer.
    public func shutDown() {
        let directives = election.onShutdown(now: clock.now())
        carry(directives)
        timer.cancel()
    }

    private func wakeUp() {
        let directives = election.onWakeUp(now: clock.now(), rng: &random)
        carry(directives)
    }

    private func carry(_ directives: [ElectionDirective]) {
        for directive in gate.admit(directives) { perform(directive) }
    }

    /// Carries out one directive the gate let through.
    private func perform(_ directive: ElectionDirective) {
        switch directive {
        case .send(let message, let voter):
            transport.send(.election, body: message.encoded(), to: voter)
        case .wakeUp(let deadline):
            timer.schedule(at: deadline, clock: clock) { [weak self] in await self?.wakeUp() }
        case .event(let event):
            onEvent(event)
        case .persist(let state):
            let store = store
            writer.async { [weak self] in
                let outcome = Result<Void, any Error> { try store.save(state) }
                Task { await self?.finishWrite(state, outcome) }
            }
        }
    }

    /// Back on the actor once the write is durable or failed (the gate allows one at a time).
    private func finishWrite(_ state: PersistentState, _ outcome: Result<Void, any Error>) {
        let directives: [ElectionDirective]
        switch outcome {
        case .success:
            directives = gate.writeSucceeded(state, election: &election, now: clock.now())
        case .failure(let error):
            failedWrites += 1
            directives = gate.writeFailed(state, error: String(describing: error), election: &election,
                                          now: clock.now(), rng: &random)
        }
        for directive in directives { perform(directive) }
    }
}
