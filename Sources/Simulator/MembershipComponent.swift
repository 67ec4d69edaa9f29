import Membership
import SansIO
import Wire

/// SWIM membership (with Lifeguard) as a node component: the unmodified `SWIM.Instance` from the
/// Membership module, fed envelopes of kind `.membership`; its directives become datagrams,
/// timers and observations (`SWIM.Event`).
public struct MembershipComponent: NodeComponent {
    public private(set) var instance: SWIM.Instance
    public var kind: MessageKind { .membership }

    public init(myself: MemberID, seeds: [MemberID], settings: SWIM.Settings) {
        instance = SWIM.Instance(myself: myself, seeds: seeds, settings: settings)
    }

    public mutating func start(_ io: inout ComponentIO) {
        let directives = instance.onStart(now: io.now, rng: &io.random)
        Self.perform(directives, &io)
    }

    public mutating func receive(_ body: [UInt8], from sender: String, _ io: inout ComponentIO) throws(DecodeError) {
        let message = try SWIM.Message.decode(body)
        let directives = instance.onMessage(message, now: io.now, rng: &io.random)
        Self.perform(directives, &io)
    }

    public mutating func wakeUp(_ io: inout ComponentIO) {
        let directives = instance.onWakeUp(now: io.now, rng: &io.random)
        Self.perform(directives, &io)
    }

    /// Graceful leave (SWIM §4.3 "voluntary leave"): announces `left` to the cluster.
    public mutating func leave(_ io: inout ComponentIO) {
        let directives = instance.onLeave(now: io.now)
        Self.perform(directives, &io)
    }

    /// Carries out directives. Static, so that calling it never copies the component while the
    /// instance is being mutated (that copy would make every dictionary in the instance copy on write).
    private static func perform(_ directives: [SWIM.Directive], _ io: inout ComponentIO) {
        for directive in directives {
            switch directive {
            case .send(let message, let member): io.send(message.encoded(), to: member.address)
            case .wakeUp(let deadline): io.wakeUp(at: deadline)
            case .event(let event): io.emit(event)
            }
        }
    }
}
