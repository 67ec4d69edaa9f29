import Raft
import SansIO

/// A deterministic multi-node harness for ``Election``: virtual true time, per-node drifting clocks,
/// a lossy, duplicating, reordering, partitionable network between three regions, and crash /
/// restart with the term store surviving. It checks the election's safety invariants after every
/// event and records every violation.
final class ClusterHarness {
    struct Options {
        var nodeCount = 3
        var settings = ElectionSettings()
        /// Clock rates are drawn from `[1 − clockDrift, 1 + clockDrift]`; beyond
        /// `settings.maxClockDrift` the lease guarantee no longer holds.
        var clockDrift = 0.05
        /// Put every clock at `1 − clockDrift` or `1 + clockDrift` instead of anywhere between:
        /// the adversarial case of a slow leader among fast followers.
        var clockRatesAtExtremes = false
        var storeForgetsOnCrash = false
        /// Round-trip times between regions 0–1, 1–2 and 0–2; nodes are placed round-robin.
        var regionRoundTrips: (Duration, Duration, Duration) = (.milliseconds(90), .milliseconds(160), .milliseconds(230))
        /// One-way latency is half the round trip times a factor drawn from this range.
        var jitter: ClosedRange<Double> = 0.9...1.2
        /// Extra delay of a message held back by the network (see ``NetworkQuality/longDelay``).
        var longDelayMax: Duration = .seconds(3)
    }

    /// What the network does to each message; changed by ``Fault/setNetwork(_:)``.
    struct NetworkQuality {
        var loss = 0.0
        var duplication = 0.0
        /// Probability that a message is held back by up to `longDelayMax` (reordering across timeouts).
        var longDelay = 0.0
        static let perfect = NetworkQuality()
    }

    enum ViolationKind: Hashable, CustomStringConvertible {
        case twoLeadersInTerm, leaseOverlap, termWentBackwards, voteChanged, noLeaderWhenStable

        var description: String {
            switch self {
            case .twoLeadersInTerm: "two leaders in one term"
            case .leaseOverlap: "two leases overlap in true time"
            case .termWentBackwards: "term went backwards"
            case .voteChanged: "voted for two candidates in one term"
            case .noLeaderWhenStable: "no leader with a valid lease on a stable network"
            }
        }
    }

    struct Violation: CustomStringConvertible {
        var kind: ViolationKind
        var time: Int64
        var detail: String
        var description: String { "\(kind) at t=\(Double(time) / 1e9)s: \(detail)" }
    }

    enum Fault {
        case isolate(Int)
        case cutLink(from: Int, to: Int)
        case heal
        case setNetwork(NetworkQuality)
        case crash(Int)
        case restart(Int)
        /// Graceful shutdown of whichever node leads at that moment (leadership transfer), going
        /// down after `linger`.
        case stopLeaderGracefully(linger: Duration)
    }

    private enum Event {
        case deliver(from: Int, to: Int, bytes: [UInt8])
        case wake(node: Int, generation: UInt64)
        case fault(Fault)
    }

    private struct Node {
        let name: String
        let clock: DriftingClock
        let region: Int
        let store: MemoryTermStore
        var election: Election?
        var rng: SeededGenerator
        var wakeGeneration: UInt64 = 0
        var highestTerm: UInt64 = 0
        var isStopping = false
    }

    /// A lease a node held in one term, as a true-time interval `[start, end)`: from the send time
    /// of the heartbeat round it counts from to the instant the node's clock reaches the expiry.
    struct LeaseSpan {
        var node: Int
        var term: UInt64
        var start: Int64
        var end: Int64
    }

    let options: Options
    private(set) var now: Int64 = 0
    private var queue = EventQueue<Event>()
    private var nodes: [Node] = []
    private var network: SeededGenerator
    private var quality = NetworkQuality.perfect
    private var blocked: Set<[Int]> = []
    private var leaderOfTerm: [UInt64: Int] = [:]
    private var votes: [Int: [UInt64: Int]] = [:]
    private(set) var leases: [LeaseSpan] = []
    private(set) var violations: [Violation] = []
    /// Every instant (true time) at which some node was seen holding a valid lease, first per node and term.
    private(set) var leaseAcquisitions: [(node: Int, term: UInt64, time: Int64)] = []
    private(set) var events: Int = 0
    /// The smallest true-time gap seen between the end of one lease and the start of a later one
    /// held by another node or in another term (negative: they overlapped).
    private(set) var smallestLeaseGap: Int64?

    init(options: Options, seed: UInt64) {
        self.options = options
        let root = SeededGenerator(seed: seed)
        network = root.derived(stream: 1000)
        var clocks = root.derived(stream: 2000)
        for index in 0..<options.nodeCount {
            let position = options.clockRatesAtExtremes ? (clocks.next() & 1 == 0 ? 0 : 1) : clocks.nextUnit()
            let rate = 1 - options.clockDrift + 2 * options.clockDrift * position
            let offset = Int64(clocks.nextUnit() * 1e12)
            nodes.append(Node(
                name: "n\(index)", clock: DriftingClock(offset: offset, rate: rate), region: index % 3,
                store: MemoryTermStore(forgetsOnCrash: options.storeForgetsOnCrash),
                rng: root.derived(stream: UInt64(index))))
        }
    }

    var names: [String] { nodes.map(\.name) }

    func leadership(of node: Int) -> Leadership? {
        nodes[node].election?.leadership(now: nodes[node].clock.local(now))
    }

    /// The node holding a valid lease right now, if any.
    var leaseHolder: Int? {
        nodes.indices.first { leadership(of: $0)?.isLeaseValid == true }
    }

    // MARK: - Driving

    /// Starts every node within the first 50 ms.
    func startAll() {
        for index in nodes.indices {
            queue.push(.fault(.restart(index)), at: Int64(network.nextUnit() * 50e6))
        }
    }

    func schedule(_ fault: Fault, at time: Int64) {
        queue.push(.fault(fault), at: time)
    }

    /// Processes events up to and including `end`, or until `stop` returns true after an event.
    func run(until end: Int64, stop: () -> Bool = { false }) {
        while let time = queue.nextTime, time <= end {
            guard let (eventTime, event) = queue.pop() else { break }
            now = eventTime
            events += 1
            handle(event)
            if stop() { return }
        }
        now = max(now, end)
    }

    // MARK: - Events

    private func handle(_ event: Event) {
        switch event {
        case .deliver(let from, let to, let bytes):
            guard nodes[to].election != nil, !blocked.contains([from, to]) else { return }
            let message: ElectionMessage
            do { message = try ElectionMessage.decode(bytes) } catch {
                fatalError("the harness only carries encoded messages: \(error)")
            }
            act(on: to) { election, local, rng in
                election.onMessage(message, from: self.nodes[from].name, now: local, rng: &rng)
            }
        case .wake(let node, let generation):
            guard nodes[node].wakeGeneration == generation, nodes[node].election != nil else { return }
            act(on: node) { election, local, rng in election.onWakeUp(now: local, rng: &rng) }
        case .fault(let fault):
            apply(fault)
        }
    }

    private func apply(_ fault: Fault) {
        switch fault {
        case .isolate(let node):
            for other in nodes.indices where other != node {
                blocked.insert([node, other])
                blocked.insert([other, node])
            }
        case .cutLink(let from, let to):
            blocked.insert([from, to])
        case .heal:
            blocked.removeAll()
        case .setNetwork(let newQuality):
            quality = newQuality
        case .crash(let node):
            guard nodes[node].election != nil else { return }
            nodes[node].election = nil
            nodes[node].isStopping = false
            nodes[node].wakeGeneration += 1
            nodes[node].store.simulateCrash()
        case .restart(let node):
            guard nodes[node].election == nil else { return }
            let election: Election
            do {
                election = try Election(
                    myself: nodes[node].name, voters: names, settings: options.settings, store: nodes[node].store)
            } catch {
                fatalError("restart must succeed: \(error)")
            }
            nodes[node].election = election
            act(on: node) { election, local, rng in election.onStart(now: local, rng: &rng) }
        case .stopLeaderGracefully(let linger):
            guard let leader = nodes.indices.first(where: { leadership(of: $0)?.role == .leader }),
                !nodes[leader].isStopping
            else { return }
            nodes[leader].isStopping = true
            let term = leadership(of: leader)?.term
            act(on: leader) { election, local, _ in election.onShutdown(now: local) }
            // The lease was given up now, whatever its expiry said.
            for index in leases.indices where leases[index].node == leader && leases[index].term == term {
                leases[index].end = min(leases[index].end, now)
            }
            queue.push(.fault(.crash(leader)), at: now + linger.nanoseconds)
        }
    }

    /// Runs one input on a node, executes its directives and checks the invariants.
    private func act(on node: Int, _ input: (inout Election, Instant, inout SeededGenerator) -> [ElectionDirective]) {
        guard var election = nodes[node].election else { return }
        let local = nodes[node].clock.local(now)
        var rng = nodes[node].rng
        let directives = input(&election, local, &rng)
        nodes[node].rng = rng
        nodes[node].election = election
        for directive in directives {
            switch directive {
            case .send(let message, let recipient):
                recordVote(message, from: node, to: recipient)
                send(message, from: node, to: names.firstIndex(of: recipient)!)
            case .wakeUp(let instant):
                nodes[node].wakeGeneration += 1
                let at = nodes[node].clock.trueTime(reaching: instant, notBefore: now)
                queue.push(.wake(node: node, generation: nodes[node].wakeGeneration), at: at)
            case .event(let event):
                record(event, from: node)
            }
        }
        checkInvariants(after: node)
    }

    private func send(_ message: ElectionMessage, from: Int, to: Int) {
        guard !blocked.contains([from, to]), network.nextUnit() >= quality.loss else { return }
        let bytes = message.encoded()
        let copies = network.nextUnit() < quality.duplication ? 2 : 1
        for _ in 0..<copies {
            var delay = oneWayLatency(from: from, to: to)
            if network.nextUnit() < quality.longDelay {
                delay += Int64(network.nextUnit() * Double(options.longDelayMax.nanoseconds))
            }
            queue.push(.deliver(from: from, to: to, bytes: bytes), at: now + delay)
        }
    }

    private func oneWayLatency(from: Int, to: Int) -> Int64 {
        let regions = Set([nodes[from].region, nodes[to].region])
        let roundTrip: Duration
        switch regions {
        case [0, 1]: roundTrip = options.regionRoundTrips.0
        case [1, 2]: roundTrip = options.regionRoundTrips.1
        case [0, 2]: roundTrip = options.regionRoundTrips.2
        default: roundTrip = .milliseconds(1)
        }
        let factor = options.jitter.lowerBound + (options.jitter.upperBound - options.jitter.lowerBound) * network.nextUnit()
        return Int64(Double(roundTrip.nanoseconds) / 2 * factor)
    }

    // MARK: - Invariants

    private func violation(_ kind: ViolationKind, _ detail: String) {
        if violations.count < 50 { violations.append(Violation(kind: kind, time: now, detail: detail)) }
    }

    private func record(_ event: ElectionEvent, from node: Int) {
        switch event {
        case .becameLeader(let term):
            if let existing = leaderOfTerm[term], existing != node {
                violation(.twoLeadersInTerm, "\(names[existing]) and \(names[node]) both led term \(term)")
            }
            leaderOfTerm[term] = node
        case .campaignStarted(let term, _):
            noteVote(by: node, term: term, for: node)
        default:
            break
        }
    }

    private func recordVote(_ message: ElectionMessage, from node: Int, to recipient: String) {
        if case .voteResponse(let term, true) = message { noteVote(by: node, term: term, for: names.firstIndex(of: recipient)!) }
    }

    private func noteVote(by node: Int, term: UInt64, for candidate: Int) {
        if let earlier = votes[node, default: [:]][term], earlier != candidate {
            violation(.voteChanged, "\(names[node]) voted for \(names[earlier]) and \(names[candidate]) in term \(term)")
        }
        votes[node, default: [:]][term] = candidate
    }

    private func checkInvariants(after node: Int) {
        guard let leadership = leadership(of: node) else { return }
        if leadership.term < nodes[node].highestTerm {
            violation(.termWentBackwards, "\(names[node]) at term \(leadership.term) after \(nodes[node].highestTerm)")
        }
        nodes[node].highestTerm = max(nodes[node].highestTerm, leadership.term)
        guard leadership.isLeaseValid, let expiry = leadership.leaseExpiry else { return }
        let clock = nodes[node].clock
        let span = LeaseSpan(
            node: node, term: leadership.term,
            start: clock.trueTime(reaching: expiry - options.settings.lease),
            end: clock.trueTime(reaching: expiry))
        if let index = leases.lastIndex(where: { $0.node == node && $0.term == span.term }) {
            leases[index].end = max(leases[index].end, span.end)
        } else {
            for other in leases where other.start <= span.start {
                smallestLeaseGap = min(smallestLeaseGap ?? .max, span.start - other.end)
            }
            leases.append(span)
            leaseAcquisitions.append((node, span.term, now))
        }
        for other in leases where !(other.node == node && other.term == span.term) {
            if other.start < span.end && span.start < other.end {
                violation(.leaseOverlap,
                    "\(names[other.node])@\(other.term) [\(other.start), \(other.end)) overlaps \(names[node])@\(span.term) [\(span.start), \(span.end))")
            }
        }
        leases.removeAll { $0.end < now - 10_000_000_000 }
    }

    /// Liveness check: fails unless some node holds a valid lease within `bound` of `time`.
    func expectLeaderWithin(_ bound: Duration, from time: Int64) -> Int64? {
        run(until: time + bound.nanoseconds) { self.leaseHolder != nil }
        guard leaseHolder != nil else {
            violation(.noLeaderWhenStable, "none within \(bound) of t=\(Double(time) / 1e9)s")
            return nil
        }
        return now - time
    }
}
