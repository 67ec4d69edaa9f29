import Failover
import SansIO
import Wire

/// The deterministic discrete-event simulator.
///
/// One thread, virtual true time, one agenda ordered by (time, insertion sequence), and one seed
/// from which every random choice derives through `SeededGenerator.derived(stream:)`: the world
/// (clocks, boot times), each link, each node boot. The same seed, configuration and schedule
/// always produce the same `traceHash`.
///
/// Nodes run `SimulatedProcess`es created by `makeProcess` at every boot. Their local clocks skew
/// and drift (`NodeClock`); wake-ups requested in local time are converted to true time. Invariants
/// run after every event; the first violation stops the run.
public final class Simulation {
    public let seed: UInt64
    public let configuration: SimulationConfiguration
    /// True time of the event being processed (or where the last `run` stopped).
    public private(set) var now: Instant = .zero
    public var network: SimulatedNetwork
    /// How every node's disk behaves now (`configuration.disk` until a `.disk` fault).
    public private(set) var diskConditions: DiskConditions
    /// The endpoints and the DNS provider.
    public let world: SimulatedWorld
    /// Events processed so far (excluding monitors).
    public private(set) var eventsProcessed = 0
    /// The first violation, if any; the run stops at it.
    public private(set) var violation: Violation?
    /// Datagrams and bytes each node has sent (before loss).
    public private(set) var sentDatagrams: [Int]
    public private(set) var sentBytes: [Int]

    /// Builds the process a node runs after each boot.
    public typealias ProcessFactory = (NodeIdentity) -> any SimulatedProcess

    private enum Action {
        case start(node: Int)
        case deliver(from: Int, to: Int, bytes: [UInt8], generation: UInt64)
        case wakeUp(node: Int, timer: Int, deadline: Instant, generation: UInt64)
        case resume(node: Int, generation: UInt64)
        case fault(Fault)
        case monitor(index: Int)
        case dnsLand(flight: Int)
        /// `response` is nil until the provider has been asked (once, at the answer's arrival).
        case dnsAnswer(node: Int, flight: Int, callID: UInt64, tag: Int, generation: UInt64, response: DNSResponse?)
    }

    private struct PendingTimer: Hashable {
        let timer: Int
        let deadline: Instant
    }

    private struct Node {
        let identity: NodeIdentity
        let clock: NodeClock
        let disk = SimulatedDisk()
        let random: SeededGenerator
        var process: (any SimulatedProcess)?
        var processRandom: SeededGenerator
        /// Incremented at every boot and crash, so events of an older life are ignored.
        var generation: UInt64 = 0
        var bootEpoch: UInt64 = 0
        var pausedUntil: Instant?
        var backlog: [Action] = []
        var pendingTimers: Set<PendingTimer> = []
    }

    private let makeProcess: ProcessFactory
    private var queue = EventQueue<Action>()
    private var nodes: [Node]
    private let addressIndex: [String: Int]
    private var trace: TraceRecorder
    private var invariants: [any Invariant] = []
    private var observers: [(Observation, Simulation) -> Void] = []
    private var monitors: [(interval: Duration, body: (Simulation) -> Void)] = []
    private var pendingObservations: [Observation] = []
    private var stopped = false

    /// Stream tags for `derived(stream:)`; each source of randomness has its own.
    private enum Stream {
        static let world: UInt64 = 1
        static let network: UInt64 = 2
        static let dnsProvider: UInt64 = 3
        static let nodeBase: UInt64 = 1 << 40
    }

    /// A simulation whose world has the endpoint addresses `endpoints` (none by default).
    public init(seed: UInt64, configuration: SimulationConfiguration, endpoints: [String] = [],
                makeProcess: @escaping ProcessFactory) {
        self.seed = seed
        self.configuration = configuration
        self.makeProcess = makeProcess
        diskConditions = configuration.disk
        let root = SeededGenerator(seed: seed)
        var world = root.derived(stream: Stream.world)
        network = SimulatedNetwork(latency: configuration.latency, conditions: configuration.conditions,
                                   generator: root.derived(stream: Stream.network))
        trace = TraceRecorder(excerptLength: configuration.traceExcerptLength)
        self.world = SimulatedWorld(endpoints: endpoints, random: root.derived(stream: Stream.dnsProvider))
        sentDatagrams = Array(repeating: 0, count: configuration.nodeCount)
        sentBytes = Array(repeating: 0, count: configuration.nodeCount)
        var nodes: [Node] = []
        var addresses: [String: Int] = [:]
        for index in 0..<configuration.nodeCount {
            let identity = NodeIdentity(index: index, region: configuration.region(of: index))
            let skew = Duration.nanoseconds(Int64(Double(configuration.maxClockSkew.nanoseconds) * world.nextUnit()))
            let maxDrift = configuration.maxDriftPartsPerBillion
            let drift: Int64
            if maxDrift == 0 {
                drift = 0
            } else if configuration.clockRatesAtExtremes {
                drift = world.nextUnit() < 0.5 ? -maxDrift : maxDrift
            } else {
                drift = Int64.random(in: -maxDrift...maxDrift, using: &world)
            }
            let random = root.derived(stream: Stream.nodeBase + UInt64(index))
            nodes.append(Node(identity: identity, clock: NodeClock(skew: skew, driftPartsPerBillion: drift),
                              random: random, processRandom: random))
            addresses[identity.address] = index
            addresses[identity.name] = index
        }
        self.nodes = nodes
        addressIndex = addresses
        for index in 0..<configuration.nodeCount {
            let offset = Duration.nanoseconds(Int64(Double(configuration.startSpread.nanoseconds) * world.nextUnit()))
            queue.push(.start(node: index), at: .zero + offset)
        }
    }

    // MARK: - Inspection

    public var nodeCount: Int { nodes.count }
    public var traceHash: UInt64 { trace.hash }
    public func identity(of node: Int) -> NodeIdentity { nodes[node].identity }
    public func clock(of node: Int) -> NodeClock { nodes[node].clock }
    public func disk(of node: Int) -> SimulatedDisk { nodes[node].disk }
    public func bootEpoch(of node: Int) -> UInt64 { nodes[node].bootEpoch }
    /// Whether the node is running (booted and not crashed; a paused node is up).
    public func isUp(_ node: Int) -> Bool { nodes[node].process != nil }
    public func isPaused(_ node: Int) -> Bool { nodes[node].pausedUntil != nil }
    /// The node with this address (`sim:<index>`) or name (`node-<index>`).
    public func index(ofAddress address: String) -> Int? { addressIndex[address] }
    /// The node's process, for inspection (nil while it is down).
    public func process(of node: Int) -> (any SimulatedProcess)? { nodes[node].process }
    /// The node's local clock reading now.
    public func localTime(of node: Int) -> Instant { nodes[node].clock.local(at: now) }

    // MARK: - Set-up

    /// Checks `invariant` after every event from now on.
    public func add(_ invariant: some Invariant) { invariants.append(invariant) }

    /// Calls `observer` for every observation a process emits.
    public func observe(_ observer: @escaping (Observation, Simulation) -> Void) { observers.append(observer) }

    /// Calls `body` every `interval` of true time, starting one interval from now. Monitors read
    /// state for metrics; they are not part of the trace hash.
    public func every(_ interval: Duration, _ body: @escaping (Simulation) -> Void) {
        precondition(interval > .zero, "a monitor needs a positive interval")
        monitors.append((interval, body))
        queue.push(.monitor(index: monitors.count - 1), at: now + interval)
    }

    /// Applies `fault` at true time `time` (now if it is in the past).
    public func schedule(_ fault: Fault, at time: Instant) {
        queue.push(.fault(fault), at: max(time, now))
    }

    /// Runs code inside a node's process as if it were an input (e.g. a graceful leave), with the
    /// node's clock and random stream; returns false when the node is down or paused.
    @discardableResult
    public func perform(on node: Int, _ body: (inout any SimulatedProcess, inout ProcessIO) -> Void) -> Bool {
        guard nodes[node].process != nil, nodes[node].pausedUntil == nil else { return false }
        withProcess(node) { process, io in body(&process, &io) }
        return true
    }

    /// Makes `run` return after the current event.
    public func stop() { stopped = true }

    // MARK: - Running

    /// Processes events up to and including true time `end`, then leaves `now` at `end`.
    /// Returns the first invariant violation (the run stops there), or nil.
    @discardableResult
    public func run(until end: Instant) -> Violation? {
        stopped = false
        while violation == nil, !stopped, let time = queue.nextTime, time <= end, let entry = queue.pop() {
            now = entry.time
            process(entry.payload)
        }
        if violation == nil, !stopped { now = max(now, end) }
        return violation
    }

    /// Runs for `duration` more true time.
    @discardableResult
    public func run(for duration: Duration) -> Violation? { run(until: now + duration) }

    private func process(_ action: Action) {
        switch action {
        case .monitor(let index):
            monitors[index].body(self)
            queue.push(.monitor(index: index), at: now + monitors[index].interval)
            return
        case .start(let node):
            boot(node)
        case .fault(let fault):
            apply(fault)
        case .dnsLand(let flight):
            let writer = world.dns.flights[flight]?.writer
            world.dns.land(flight, now: now)
            record(TraceEntry(time: now, node: writer, kind: .dnsLanded(flight: flight)))
        case .dnsAnswer(let node, let flight, let callID, let tag, let generation, let answered):
            let response = answered ?? world.dns.reply(flight)
            guard generation == nodes[node].generation, nodes[node].process != nil else { break }
            if nodes[node].pausedUntil != nil {
                nodes[node].backlog.append(.dnsAnswer(node: node, flight: flight, callID: callID, tag: tag,
                                                      generation: generation, response: response))
                record(TraceEntry(time: now, node: node, kind: .deferred))
                break
            }
            record(TraceEntry(time: now, node: node, kind: .dnsAnswered(flight: flight)))
            withProcess(node) { process, io in process.dnsAnswered(response, callID: callID, tag: tag, &io) }
        case .deliver(let from, let to, let bytes, let generation):
            guard generation == nodes[to].generation, nodes[to].process != nil else {
                record(TraceEntry(time: now, node: to, kind: .droppedAtDownNode(from: from)))
                break
            }
            if nodes[to].pausedUntil != nil {
                nodes[to].backlog.append(action)
                record(TraceEntry(time: now, node: to, kind: .deferred))
                break
            }
            record(TraceEntry(time: now, node: to, kind: .delivered(from: from, byteCount: bytes.count,
                                                                    bytesHash: FNV1a.hash(bytes))))
            var failure: DecodeError?
            withProcess(to) { process, io in
                do throws(DecodeError) {
                    try process.receive(bytes, &io)
                } catch {
                    failure = error
                }
            }
            if let failure {
                fail(invariant: "codec", "node-\(to) could not decode a datagram from node-\(from): \(failure)")
            }
        case .wakeUp(let node, let timer, let deadline, let generation):
            guard generation == nodes[node].generation, nodes[node].process != nil else { return }
            if nodes[node].pausedUntil != nil {
                nodes[node].backlog.append(action)
                record(TraceEntry(time: now, node: node, kind: .deferred))
                break
            }
            nodes[node].pendingTimers.remove(PendingTimer(timer: timer, deadline: deadline))
            record(TraceEntry(time: now, node: node, kind: .wakeUp(timer: timer)))
            withProcess(node) { process, io in process.wakeUp(timer: timer, &io) }
        case .resume(let node, let generation):
            guard generation == nodes[node].generation, nodes[node].pausedUntil != nil else { return }
            nodes[node].pausedUntil = nil
            let backlog = nodes[node].backlog
            nodes[node].backlog = []
            record(TraceEntry(time: now, node: node, kind: .resume(backlog: backlog.count)))
            // Like an event loop waking from a stall (libuv, for one): timers that expired run
            // first, then the datagrams queued in the socket buffer, in arrival order.
            for deferred in backlog { if case .wakeUp = deferred { queue.push(deferred, at: now) } }
            for deferred in backlog { if case .deliver = deferred { queue.push(deferred, at: now) } }
            for deferred in backlog { if case .dnsAnswer = deferred { queue.push(deferred, at: now) } }
        }
        eventsProcessed += 1
        checkInvariants()
    }

    private func record(_ entry: TraceEntry) {
        trace.record(entry)
        lastEntry = entry
    }

    private var lastEntry: TraceEntry?

    private func checkInvariants() {
        guard violation == nil, let entry = lastEntry else { return }
        let observations = pendingObservations
        pendingObservations.removeAll(keepingCapacity: true)
        for index in invariants.indices {
            if let message = invariants[index].check(after: entry, observations: observations, in: self) {
                fail(invariant: invariants[index].name, message)
                return
            }
        }
    }

    private func fail(invariant: String, _ message: String) {
        guard violation == nil else { return }
        violation = Violation(seed: seed, time: now, invariant: invariant, message: message, trace: trace.excerpt)
    }

    // MARK: - Nodes

    private func boot(_ node: Int) {
        guard nodes[node].process == nil else { return }
        nodes[node].generation += 1
        nodes[node].bootEpoch += 1
        nodes[node].processRandom = nodes[node].random.derived(stream: nodes[node].bootEpoch)
        nodes[node].process = makeProcess(nodes[node].identity)
        record(TraceEntry(time: now, node: node, kind: .start(bootEpoch: nodes[node].bootEpoch)))
        withProcess(node) { process, io in process.start(&io) }
    }

    private func crash(_ node: Int) {
        guard nodes[node].process != nil else { return }
        nodes[node].process = nil
        nodes[node].generation += 1
        nodes[node].pausedUntil = nil
        nodes[node].backlog = []
        nodes[node].pendingTimers = []
    }

    private func pause(_ node: Int, for duration: Duration) {
        guard nodes[node].process != nil, nodes[node].pausedUntil == nil else { return }
        nodes[node].pausedUntil = now + duration
        queue.push(.resume(node: node, generation: nodes[node].generation), at: now + duration)
    }

    private func apply(_ fault: Fault) {
        record(TraceEntry(time: now, node: nil, kind: .fault(fault)))
        switch fault {
        case .crash(let node): crash(node)
        case .restart(let node): boot(node)
        case .pause(let node, let duration): pause(node, for: duration)
        case .cut(let cuts): cuts.forEach { network.add($0) }
        case .uncut(let cuts): cuts.forEach { network.remove($0) }
        case .heal: network.healAll()
        case .conditions(let conditions): network.conditions = conditions
        case .disk(let conditions): diskConditions = conditions
        }
    }

    /// Hands the node's process one input and carries out what it asked for.
    private func withProcess(_ node: Int, _ body: (inout any SimulatedProcess, inout ProcessIO) -> Void) {
        guard var process = nodes[node].process.take() else { return }  // uniquely referenced while it runs
        let clock = nodes[node].clock
        var io = ProcessIO(now: clock.local(at: now), node: nodes[node].identity, bootEpoch: nodes[node].bootEpoch,
                           disk: nodes[node].disk, diskConditions: diskConditions, random: nodes[node].processRandom,
                           world: world, clock: clock)
        body(&process, &io)
        nodes[node].process = process
        nodes[node].processRandom = io.random
        let generation = nodes[node].generation
        for request in io.timers {
            let pending = PendingTimer(timer: request.timer, deadline: request.deadline)
            guard nodes[node].pendingTimers.insert(pending).inserted else { continue }
            let due = max(clock.trueTime(reaching: request.deadline), now)
            queue.push(.wakeUp(node: node, timer: request.timer, deadline: request.deadline, generation: generation),
                       at: due)
        }
        for outgoing in io.outgoing { transmit(outgoing.bytes, from: node, toAddress: outgoing.address) }
        for request in io.dnsCalls {
            let abandonAt = max(clock.trueTime(reaching: io.now + request.call.deadline), now)
            let flight = world.dns.begin(request.call, writer: node, now: now, abandonAt: abandonAt)
            let planned = world.dns.flights[flight]!
            if let landAt = planned.landAt { queue.push(.dnsLand(flight: flight), at: landAt) }
            queue.push(.dnsAnswer(node: node, flight: flight, callID: request.call.id, tag: request.tag,
                                  generation: generation, response: nil), at: planned.replyAt)
        }
        for event in io.events {
            let observation = Observation(time: now, localTime: io.now, node: node, event: event)
            pendingObservations.append(observation)
            for observer in observers { observer(observation, self) }
        }
    }

    private func transmit(_ bytes: [UInt8], from: Int, toAddress address: String) {
        sentDatagrams[from] += 1
        sentBytes[from] += bytes.count
        guard let to = addressIndex[address] else { return }
        let delays = network.transmit(from: from, fromRegion: nodes[from].identity.region,
                                      to: to, toRegion: nodes[to].identity.region)
        for delay in delays {
            queue.push(.deliver(from: from, to: to, bytes: bytes, generation: nodes[to].generation), at: now + delay)
        }
    }
}
