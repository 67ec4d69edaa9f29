import Raft
import SansIO
import Wire

/// The Raft-lite election (`Raft.Election`) as a simulated node component: envelopes of kind
/// `.election` go to it, its directives become datagrams, wake-ups, disk writes and observations.
///
/// The instance is built in `start` from what the node's disk holds (as the runtime loads its
/// `FileTermStore`), so a restarted node resumes with the term and vote that were durable before
/// the crash and nothing else. `.persist` directives go through the same `PersistenceGate` the
/// runtime uses: sends behind a write are held until it completes. A write takes the time
/// `DiskConditions` draws; it completes at a later local instant, through this component's own
/// wake-up, lands on the disk only then (a crash before loses it) and may fail, which the election
/// is told. With `.instant` conditions the write completes within the input that asked for it.
///
/// Every message it sends (pre-votes aside, which carry no persisted state) is also reported as
/// an `ElectionMessageSent` observation at its true send time, so the invariants can hold the
/// node's claims against what it did: votes on the wire, heartbeat rounds and who acknowledged them.
public struct ElectionComponent: NodeComponent {
    public let kind = MessageKind.election
    public let voters: [String]
    public let settings: ElectionSettings
    /// Whether the term store is durable (false only to show the invariants catch a store that
    /// acknowledges writes it did not make durable).
    public let durableStore: Bool
    /// Present once started; inputs mutate it in place (`election?.on…`), since a local copy would
    /// share its storage and copy it on write.
    public private(set) var election: Election?
    private var gate = PersistenceGate()
    private var store: DiskTermStore?
    /// The write in flight when it takes time: when it completes (local) and whether it fails.
    private var pendingWrite: (state: PersistentState, completesAt: Instant, fails: Bool)?
    /// Draws write latencies and failures; derived from the component's stream, which it leaves as is.
    private var diskRandom = SeededGenerator(seed: 0)
    /// Writes that failed in this process's life (for metrics).
    public private(set) var failedWrites = 0

    public init(voters: [String], settings: ElectionSettings, durableStore: Bool = true) {
        self.voters = voters
        self.settings = settings
        self.durableStore = durableStore
    }

    public mutating func start(_ io: inout ComponentIO) {
        let store = DiskTermStore(disk: io.disk, durable: durableStore)
        self.store = store
        diskRandom = io.random.derived(stream: 0xD15C)
        // The simulated disk cannot be corrupt and the settings were validated by the scenario,
        // so a failure here is a bug worth stopping on.
        let loaded = try! store.load() ?? .initial
        var election = try! Election(myself: io.node.name, voters: voters, settings: settings, persistent: loaded)
        let directives = election.onStart(now: io.now, rng: &io.random)
        self.election = election
        carry(directives, &io)
    }

    public mutating func receive(_ body: [UInt8], from sender: String, _ io: inout ComponentIO) throws(DecodeError) {
        let message = try ElectionMessage.decode(body)
        guard election != nil, let directives = election?.onMessage(message, from: sender, now: io.now, rng: &io.random) else { return }
        carry(directives, &io)
    }

    public mutating func wakeUp(_ io: inout ComponentIO) {
        guard election != nil else { return }
        if let write = pendingWrite, io.now >= write.completesAt {
            pendingWrite = nil
            finishWrite(write.state, fails: write.fails, &io)
        }
        guard let directives = election?.onWakeUp(now: io.now, rng: &io.random) else { return }
        carry(directives, &io)
    }

    public func leadership(now: Instant) -> Leadership? { election?.leadership(now: now) }

    /// Graceful shutdown: hands leadership over (Raft thesis §3.10).
    public mutating func shutDown(_ io: inout ComponentIO) {
        guard election != nil, let directives = election?.onShutdown(now: io.now) else { return }
        carry(directives, &io)
    }

    private mutating func carry(_ directives: [ElectionDirective], _ io: inout ComponentIO) {
        for directive in gate.admit(directives) { perform(directive, &io) }
    }

    private mutating func perform(_ directive: ElectionDirective, _ io: inout ComponentIO) {
        switch directive {
        case .send(let message, let voter):
            io.send(message.encoded(), to: voter)
            switch message {
            case .preVoteRequest, .preVoteResponse: break
            default: io.emit(ElectionMessageSent(message: message, to: voter))
            }
        case .wakeUp(let deadline): io.wakeUp(at: deadline)
        case .event(let event): io.emit(event)
        case .persist(let state): startWrite(state, &io)
        }
    }

    private mutating func startWrite(_ state: PersistentState, _ io: inout ComponentIO) {
        guard !io.diskConditions.isInstant else {
            finishWrite(state, fails: false, &io)
            return
        }
        let (latency, fails) = io.diskConditions.draw(&diskRandom)
        pendingWrite = (state, io.now + latency, fails)
        io.wakeUp(at: io.now + latency)
    }

    /// The write's time has come: it lands (and the gate releases what it held) or it fails (and
    /// the gate drops it, and the election falls back to its durable state).
    private mutating func finishWrite(_ state: PersistentState, fails: Bool, _ io: inout ComponentIO) {
        guard election != nil else { return }
        let directives: [ElectionDirective]
        if fails {
            failedWrites += 1
            directives = gate.writeFailed(state, error: "simulated write failure", election: &election!, now: io.now,
                                          rng: &io.random)
        } else {
            store?.save(state)
            directives = gate.writeSucceeded(state, election: &election!, now: io.now)
        }
        for directive in directives { perform(directive, &io) }
    }
}

/// An election message a node sent (pre-votes excepted), reported at its true send time.
public struct ElectionMessageSent: Sendable, Equatable {
    public let message: ElectionMessage
    /// The voter it went to.
    public let to: String

    public init(message: ElectionMessage, to: String) {
        self.message = message
        self.to = to
    }
}
