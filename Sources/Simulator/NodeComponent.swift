import Failover
import Raft
import SansIO
import Wire

/// One protocol a Vantage node runs: SWIM membership now, the Raft election and the vote
/// exchange next. `ComponentHost` feeds it the bodies of the envelopes of its `kind`, its own
/// timers and its own random stream, so adding a protocol is adding a component.
public protocol NodeComponent {
    /// The envelope kind this component sends by default and receives.
    var kind: MessageKind { get }
    /// Further kinds routed to this component; several components may share a kind (each gets
    /// every envelope of it).
    var alsoReceives: Set<MessageKind> { get }
    /// The node booted.
    mutating func start(_ io: inout ComponentIO)
    /// The body of an envelope of this component's kind, from node `sender`. Throws when the
    /// body does not decode (the simulator reports that as a codec violation).
    mutating func receive(_ body: [UInt8], from sender: String, _ io: inout ComponentIO) throws(DecodeError)
    /// The body of an envelope of `kind` (its own or one of ``alsoReceives``); by default the
    /// one-kind `receive`.
    mutating func receive(_ body: [UInt8], of kind: MessageKind, from sender: String, _ io: inout ComponentIO) throws(DecodeError)
    /// Local time reached a deadline this component asked for with `io.wakeUp(at:)`.
    mutating func wakeUp(_ io: inout ComponentIO)
    /// The DNS provider answered a call this component made with `io.callDNS(_:)`.
    mutating func dnsAnswered(_ response: DNSResponse, callID: UInt64, _ io: inout ComponentIO)
    /// The node's leadership as this component knows it (the election answers; others say nil).
    func leadership(now: Instant) -> Leadership?
    /// Whether ``leadershipChanged(_:)`` should be called when the node's leadership changes.
    var observesLeadership: Bool { get }
    /// The node's leadership (`io.leadership`) differs from when this component last heard of it.
    mutating func leadershipChanged(_ io: inout ComponentIO)
}

extension NodeComponent {
    public var alsoReceives: Set<MessageKind> { [] }
    public mutating func receive(_ body: [UInt8], of kind: MessageKind, from sender: String,
                                 _ io: inout ComponentIO) throws(DecodeError) {
        try receive(body, from: sender, &io)
    }
    public mutating func dnsAnswered(_ response: DNSResponse, callID: UInt64, _ io: inout ComponentIO) {}
    public func leadership(now: Instant) -> Leadership? { nil }
    public var observesLeadership: Bool { false }
    public mutating func leadershipChanged(_ io: inout ComponentIO) {}
}

/// What a component may do while handling one input.
public struct ComponentIO {
    /// The node's local clock reading.
    public let now: Instant
    public let node: NodeIdentity
    public let bootEpoch: UInt64
    /// The node's stable storage (survives crashes): where the election persists its term and vote.
    public let disk: SimulatedDisk
    /// How `disk` behaves (write latency and failures).
    public let diskConditions: DiskConditions
    /// This component's random stream (per node, per boot, per component).
    public var random: SeededGenerator
    /// The node's leadership at `now`, from its election component (a follower without one).
    public let leadership: Leadership
    private let process: ProcessIO

    struct Outgoing {
        let address: String
        let body: [UInt8]
        /// nil: the component's own kind.
        let kind: MessageKind?
    }

    var outgoing: [Outgoing] = []
    var wakeUps: [Instant] = []
    var events: [any Sendable] = []
    var dnsCalls: [DNSCall] = []

    init(process: ProcessIO, random: SeededGenerator, leadership: Leadership) {
        now = process.now
        node = process.node
        bootEpoch = process.bootEpoch
        disk = process.disk
        diskConditions = process.diskConditions
        self.random = random
        self.leadership = leadership
        self.process = process
    }

    /// Whether a check this node started at local instant `start` reached `address`.
    public func isReachable(_ address: String, startedAt start: Instant) -> Bool {
        process.isReachable(address, startedAt: start)
    }

    /// The base round-trip time from this node's region to the endpoints.
    public var endpointRoundTrip: Duration { process.endpointRoundTrip }

    /// Makes a DNS provider call now; the answer comes back through `dnsAnswered`.
    public mutating func callDNS(_ call: DNSCall) { dnsCalls.append(call) }

    /// Sends `body` as an envelope of `kind` (by default this component's own) to the node at `address`.
    public mutating func send(_ body: [UInt8], to address: String, kind: MessageKind? = nil) {
        outgoing.append(Outgoing(address: address, body: body, kind: kind))
    }

    /// Asks for `wakeUp` once local time reaches `deadline`. Every request is honoured (a core
    /// may be woken for a deadline it has since moved; cores treat early wake-ups as no-ops).
    public mutating func wakeUp(at deadline: Instant) { wakeUps.append(deadline) }

    /// Reports an event (e.g. `SWIM.Event`) to the simulation's invariants and metrics.
    public mutating func emit(_ event: any Sendable) { events.append(event) }
}
