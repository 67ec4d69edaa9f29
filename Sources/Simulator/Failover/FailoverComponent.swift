import Failover
import Raft
import SansIO
import Wire

/// The failover decision path (`Failover.FailoverInstance`) as a simulated node component:
/// envelopes of kind `.vote` go to it, its directives become datagrams, DNS calls to the world's
/// provider, wake-ups and observations; it asks the election sibling for the node's leadership.
///
/// It is also the node's check runner: every configured check runs every `interval` on a fixed
/// grid from a random phase, and its result — success after the region's round trip with jitter,
/// or failure at the timeout when the world's endpoint does not answer from this node's region —
/// goes to the core through `onCheckResult`, which applies the real rise/fall hysteresis.
public struct FailoverComponent: NodeComponent {
    public let kind = MessageKind.vote
    public var observesLeadership: Bool { true }

    /// One check of one address, run by this component.
    public struct Check: Sendable {
        public var id: String
        public var address: String
        public var interval: Duration
        public var timeout: Duration
    }

    private let settings: FailoverSettings
    private let checks: [Check]
    public private(set) var instance: FailoverInstance?
    /// Per check: the local instant its running probe started.
    private var runningSince: [Instant] = []
    /// Per check: when its running probe reports.
    private var resultDue: [Instant] = []
    private var coreWakeUp: Instant?

    /// `settings.checks` names the checks; `interval` and `timeout` apply to all of them.
    public init(settings: FailoverSettings, interval: Duration, timeout: Duration) {
        self.settings = settings
        checks = settings.checks.map { Check(id: $0.id, address: $0.address, interval: interval, timeout: timeout) }
    }

    public mutating func start(_ io: inout ComponentIO) {
        var instance = FailoverInstance(settings: settings)
        let directives = instance.onStart(now: io.now, bootEpoch: io.bootEpoch, leadership: io.leadership)
        self.instance = instance
        runningSince = []
        resultDue = []
        for check in checks {
            // First runs spread over one interval, as the runtime's scheduler does.
            let start = io.now + check.interval.scaled(by: io.random.nextUnit())
            runningSince.append(start)
            resultDue.append(start + outcome(of: check, startedAt: start, &io).after)
        }
        io.emit(FailoverComponentStarted())
        carry(directives, &io)
        requestWakeUp(&io)
    }

    public mutating func receive(_ body: [UInt8], from sender: String, _ io: inout ComponentIO) throws(DecodeError) {
        let message = try VoteMessage.decode(body)
        guard instance != nil, let directives = instance?.onVote(message, from: sender, now: io.now,
                                                               leadership: io.leadership, rng: &io.random) else { return }
        carry(directives, &io)
        requestWakeUp(&io)
    }

    public mutating func wakeUp(_ io: inout ComponentIO) {
        guard instance != nil else { return }
        for index in checks.indices where resultDue[index] <= io.now {
            let check = checks[index]
            let result = outcome(of: check, startedAt: runningSince[index], &io)
            let finished = runningSince[index] + result.after
            // The next run starts on the grid; a result that came late skips the slots it missed.
            var next = runningSince[index] + check.interval
            while next < finished { next += check.interval }
            runningSince[index] = next
            resultDue[index] = next + outcome(of: check, startedAt: next, &io).after
            let directives = instance!.onCheckResult(
                CheckResult(success: result.success, rtt: result.success ? result.after : nil,
                            error: result.success ? nil : "timed out", time: finished),
                check: check.id, now: io.now, leadership: io.leadership, rng: &io.random)
            carry(directives, &io)
        }
        if let due = coreWakeUp, due <= io.now {
            coreWakeUp = nil
            carry(instance!.onWakeUp(now: io.now, leadership: io.leadership, rng: &io.random), &io)
        }
        requestWakeUp(&io)
    }

    public mutating func dnsAnswered(_ response: DNSResponse, callID: UInt64, _ io: inout ComponentIO) {
        guard instance != nil else { return }
        carry(instance!.onDNSResponse(response, to: callID, now: io.now, leadership: io.leadership, rng: &io.random), &io)
        requestWakeUp(&io)
    }

    public mutating func leadershipChanged(_ io: inout ComponentIO) {
        guard instance != nil else { return }
        carry(instance!.onLeadership(io.leadership, now: io.now, rng: &io.random), &io)
        requestWakeUp(&io)
    }

    /// A probe's result and how long after its start it reports. The endpoint's state at the
    /// start decides; the round trip jitters by up to 20 % (a pure function of the start instant,
    /// so asking twice gives the same answer).
    private func outcome(of check: Check, startedAt start: Instant, _ io: inout ComponentIO) -> (success: Bool, after: Duration) {
        guard io.isReachable(check.address, startedAt: start) else { return (false, check.timeout) }
        var jitter = SeededGenerator(seed: UInt64(bitPattern: start.nanoseconds) ^ FNV1a.hash(Array(check.id.utf8)))
        let rtt = io.endpointRoundTrip.scaled(by: 1 + 0.2 * jitter.nextUnit())
        return rtt < check.timeout ? (true, rtt) : (false, check.timeout)
    }

    private mutating func carry(_ directives: [FailoverDirective], _ io: inout ComponentIO) {
        for directive in directives {
            switch directive {
            case .send(let message, let voter): io.send(message.encoded(), to: voter)
            case .dns(let call):
                io.emit(DNSCallStarted(call: call))
                io.callDNS(call)
            case .wakeUp(let deadline): coreWakeUp = deadline
            case .event(let event): io.emit(event)
            }
        }
    }

    private func requestWakeUp(_ io: inout ComponentIO) {
        var next = resultDue.min()
        if let core = coreWakeUp, next.map({ core < $0 }) ?? true { next = core }
        if let next { io.wakeUp(at: next) }
    }
}

/// Observation: a node's failover component (re)started; all its views are unknown.
public struct FailoverComponentStarted: Sendable {}

/// Observation: a node's failover core started a DNS provider call.
public struct DNSCallStarted: Sendable {
    public let call: DNSCall
}
