import Raft
import SansIO
import Wire

/// The Raft-lite election (`Raft.Election`) as a simulated node component: envelopes of kind
/// `.election` go to it, its directives become datagrams, wake-ups and observations.
///
/// The instance is built in `start`, from the node's disk, so a restarted node resumes with the
/// term and vote it persisted before the crash and nothing else.
public struct ElectionComponent: NodeComponent {
    public let kind = MessageKind.election
    public let voters: [String]
    public let settings: ElectionSettings
    /// Whether the term store survives crashes (false only to show the invariants catch it).
    public let durableStore: Bool
    /// Present once started; inputs mutate it in place (`election?.on…`), since a local copy would
    /// share its storage and copy it on write.
    public private(set) var election: Election?

    public init(voters: [String], settings: ElectionSettings, durableStore: Bool = true) {
        self.voters = voters
        self.settings = settings
        self.durableStore = durableStore
    }

    public mutating func start(_ io: inout ComponentIO) {
        let store = DiskTermStore(disk: io.disk, durable: durableStore)
        // The simulated disk cannot be corrupt and the settings were validated by the scenario,
        // so a failure here is a bug worth stopping on.
        var election = try! Election(myself: io.node.name, voters: voters, settings: settings, store: store)
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
        guard election != nil, let directives = election?.onWakeUp(now: io.now, rng: &io.random) else { return }
        carry(directives, &io)
    }

    public func leadership(now: Instant) -> Leadership? { election?.leadership(now: now) }

    /// Graceful shutdown: hands leadership over (Raft thesis §3.10).
    public mutating func shutDown(_ io: inout ComponentIO) {
        guard election != nil, let directives = election?.onShutdown(now: io.now) else { return }
        carry(directives, &io)
    }

    private func carry(_ directives: [ElectionDirective], _ io: inout ComponentIO) {
        for directive in directives {
            switch directive {
            case .send(let message, let voter): io.send(message.encoded(), to: voter)
            case .wakeUp(let deadline): io.wakeUp(at: deadline)
            case .event(let event): io.emit(event)
            }
        }
    }
}
