import Failover
import SansIO
import Wire

/// The program running on a simulated node, at the datagram level.
///
/// The engine creates a fresh process at every (re)start, so a crash loses all of its state;
/// only `ProcessIO.disk` survives. Vantage nodes use `ComponentHost`, which routes sealed
/// envelopes to protocol components; tests can plug in any other process.
public protocol SimulatedProcess {
    /// The node just booted (`io.bootEpoch` is new).
    mutating func start(_ io: inout ProcessIO)
    /// One datagram arrived. Bytes the process cannot decode are reported as a `DecodeError`;
    /// the engine treats that as a codec violation, because the simulated network never corrupts.
    mutating func receive(_ datagram: [UInt8], _ io: inout ProcessIO) throws(DecodeError)
    /// A timer the process armed with `io.wakeUp(at:timer:)` is due (local time has reached it).
    mutating func wakeUp(timer: Int, _ io: inout ProcessIO)
    /// The DNS provider answered a call the process made with `io.callDNS(_:tag:)`.
    mutating func dnsAnswered(_ response: DNSResponse, callID: UInt64, tag: Int, _ io: inout ProcessIO)
}

extension SimulatedProcess {
    /// Processes that never call the provider ignore answers.
    public mutating func dnsAnswered(_ response: DNSResponse, callID: UInt64, tag: Int, _ io: inout ProcessIO) {}
}

/// What a process may do while handling one input: read its local clock and random stream,
/// use its disk, send datagrams, arm timers and emit observations for invariants and metrics.
public struct ProcessIO {
    /// The node's local clock reading (skewed and drifting, see `NodeClock`).
    public let now: Instant
    public let node: NodeIdentity
    /// Changes on every start of the node (1 for the first boot).
    public let bootEpoch: UInt64
    public let disk: SimulatedDisk
    /// How `disk` behaves (write latency and failures), from the simulation's configuration.
    public let diskConditions: DiskConditions
    /// The process's random stream (per node, per boot).
    public var random: SeededGenerator

    /// A datagram to send.
    public struct Outgoing {
        public let address: String
        public let bytes: [UInt8]
    }

    /// A provider call, tagged so the answer finds its caller.
    struct DNSCallRequest {
        let call: DNSCall
        let tag: Int
    }

    /// A timer request in local time.
    struct TimerRequest {
        let deadline: Instant
        let timer: Int
    }

    public internal(set) var outgoing: [Outgoing] = []
    var timers: [TimerRequest] = []
    var events: [any Sendable] = []
    var dnsCalls: [DNSCallRequest] = []
    private let world: SimulatedWorld
    private let clock: NodeClock

    init(now: Instant, node: NodeIdentity, bootEpoch: UInt64, disk: SimulatedDisk, diskConditions: DiskConditions = .instant,
         random: SeededGenerator, world: SimulatedWorld, clock: NodeClock) {
        self.now = now
        self.node = node
        self.bootEpoch = bootEpoch
        self.disk = disk
        self.diskConditions = diskConditions
        self.random = random
        self.world = world
        self.clock = clock
    }

    /// Whether a check this node started at local instant `start` reached `address`.
    public func isReachable(_ address: String, startedAt start: Instant) -> Bool {
        world.endpoints.isReachable(address, from: node.region, at: clock.trueTime(reaching: start))
    }

    /// The base round-trip time from this node's region to the endpoints.
    public var endpointRoundTrip: Duration {
        let table = world.endpoints.roundTrip
        return table.isEmpty ? .milliseconds(20) : table[node.region % table.count]
    }

    /// Makes a DNS provider call now; the answer comes back through `dnsAnswered` with `tag`.
    public mutating func callDNS(_ call: DNSCall, tag: Int) {
        dnsCalls.append(DNSCallRequest(call: call, tag: tag))
    }

    /// Sends `bytes` to the node at `address`, given as its address (`sim:<index>`) or its name
    /// (`node-<index>`, how the Raft election names voters); unknown destinations are dropped.
    public mutating func send(_ bytes: [UInt8], to address: String) {
        outgoing.append(Outgoing(address: address, bytes: bytes))
    }

    /// Asks to be woken with `timer` once local time reaches `deadline` (immediately if past).
    /// Requests for the same `(timer, deadline)` while one is pending are merged.
    public mutating func wakeUp(at deadline: Instant, timer: Int = 0) {
        timers.append(TimerRequest(deadline: deadline, timer: timer))
    }

    /// Reports something that happened inside the process (a membership status change, a leader
    /// elected...) to the simulation's observers and invariants.
    public mutating func emit(_ event: any Sendable) {
        events.append(event)
    }
}
