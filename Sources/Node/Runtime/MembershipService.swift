import IO
import Membership
import SansIO
import Wire

/// The runtime shell around one `SWIM.Instance`: feeds it `now` from the monotonic clock and
/// membership envelopes from the transport, sends its messages over the sealed UDP channel (a
/// member is addressed by its configured name), and keeps the one timer it asks for.
public actor MembershipService {
    private var instance: SWIM.Instance
    private let transport: ClusterTransport
    private let clock: MonotonicClock
    private var random: SeededGenerator
    private var timer = CoreTimer()
    private let onEvent: @Sendable (SWIM.Event) -> Void
    /// Membership envelopes whose body did not decode (dropped).
    public private(set) var malformedMessages = 0

    /// `seeds` are the configured peers; `seed` feeds the protocol's random choices.
    public init(myself: MemberID, seeds: [MemberID], settings: SWIM.Settings = SWIM.Settings(), transport: ClusterTransport,
                clock: MonotonicClock, seed: UInt64, onEvent: @escaping @Sendable (SWIM.Event) -> Void = { _ in }) {
        instance = SWIM.Instance(myself: myself, seeds: seeds, settings: settings)
        self.transport = transport
        self.clock = clock
        random = SeededGenerator(seed: seed)
        self.onEvent = onEvent
    }

    /// Joins through the seeds and starts probing.
    public func start() {
        let directives = instance.onStart(now: clock.now(), rng: &random)
        carry(directives)
    }

    /// Hands over one membership envelope; a body that does not decode is dropped and counted.
    public func receive(_ envelope: Envelope) {
        guard envelope.kind == .membership else { return }
        guard let message = try? SWIM.Message.decode(envelope.body) else {
            malformedMessages += 1
            return
        }
        let directives = instance.onMessage(message, now: clock.now(), rng: &random)
        carry(directives)
    }

    /// This node's view of the others (tombstones included), sorted by name.
    public func members() -> [Member] { instance.members }

    /// Graceful leave (SWIM §4.3): tells every alive member, then stops the timer.
    public func leave() {
        let directives = instance.onLeave(now: clock.now())
        carry(directives)
        timer.cancel()
    }

    private func wakeUp() {
        let directives = instance.onWakeUp(now: clock.now(), rng: &random)
        carry(directives)
    }

    private func carry(_ directives: [SWIM.Directive]) {
        for directive in directives {
            switch directive {
            case .send(let message, let member):
                transport.send(.membership, body: message.encoded(), to: member.name)
            case .wakeUp(let deadline):
                timer.schedule(at: deadline, clock: clock) { [weak self] in await self?.wakeUp() }
            case .event(let event):
                onEvent(event)
            }
        }
    }
}
