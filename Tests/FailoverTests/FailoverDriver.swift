import Failover
import Raft
import SansIO
import Testing

extension Array where Element == FailoverDirective {
    var calls: [DNSCall] { compactMap { if case .dns(let call) = $0 { call } else { nil } } }
    var writes: [DNSCall] { calls.filter(\.request.isWrite) }
    var events: [FailoverEvent] { compactMap { if case .event(let event) = $0 { event } else { nil } } }
    var sends: [(message: VoteMessage, to: String)] {
        compactMap { if case .send(let message, let to) = $0 { (message, to) } else { nil } }
    }
    var wakeUp: Instant? { compactMap { if case .wakeUp(let at) = $0 { at } else { nil } }.last }
}

/// Drives one ``FailoverInstance`` as its shell would: a clock, this node's leadership (a lease
/// renewed with every input unless told otherwise), and a provider zone that answers its calls.
struct FailoverDriver {
    var instance: FailoverInstance
    var zone: FakeZone
    var now = Instant(nanoseconds: 1_000_000_000_000)
    /// nil: not leading (a follower of `b`).
    var term: UInt64? = 3
    /// The lease left at each input; nil: a leader without a valid lease.
    var lease: Duration? = .milliseconds(1_200)
    var rng = SeededGenerator(seed: 99)
    /// Calls made and not yet answered (the instance must never have more than one).
    private(set) var pending: [DNSCall] = []
    /// Everything the instance asked for, in order.
    private(set) var log: [FailoverDirective] = []

    init(settings: FailoverSettings, zone: FakeZone = FakeZone()) {
        instance = FailoverInstance(settings: settings)
        self.zone = zone
    }

    var leadership: Leadership {
        guard let term else { return Leadership(role: .follower, term: 3, leader: "b", leaseExpiry: nil, isLeaseValid: false) }
        guard let lease else { return Leadership(role: .leader, term: term, leader: instance.settings.myself, leaseExpiry: nil, isLeaseValid: false) }
        return Leadership(role: .leader, term: term, leader: instance.settings.myself, leaseExpiry: now + lease, isLeaseValid: true)
    }

    private mutating func take(_ directives: [FailoverDirective], sourceLocation: SourceLocation = #_sourceLocation) -> [FailoverDirective] {
        log += directives
        pending += directives.calls
        #expect(pending.count <= 1, "more than one provider call in flight", sourceLocation: sourceLocation)
        for call in directives.writes {
            #expect(call.permit != nil, "a write without a permit", sourceLocation: sourceLocation)
            #expect(call.deadline == instance.settings.fence.requestDeadline, sourceLocation: sourceLocation)
        }
        return directives
    }

    mutating func start(bootEpoch: UInt64 = 1) -> [FailoverDirective] {
        take(instance.onStart(now: now, bootEpoch: bootEpoch, leadership: leadership))
    }

    /// `count` results of `check`, one a second.
    mutating func check(_ check: String, _ success: Bool, count: Int = 1) -> [FailoverDirective] {
        var all: [FailoverDirective] = []
        for i in 0..<count {
            if i > 0 { now += .seconds(1) }
            let output = instance.onCheckResult(CheckResult(success: success, time: now), check: check, now: now,
                                                leadership: leadership, rng: &rng)
            all += take(output)
        }
        return all
    }

    mutating func vote(from voter: String, _ states: [String: EndpointView.State], bootEpoch: UInt64 = 1,
                       round: UInt64 = 1) -> [FailoverDirective] {
        let views = states.keys.sorted().map { EndpointView(address: $0, state: states[$0]!, age: .zero) }
        return take(instance.onVote(VoteMessage(bootEpoch: bootEpoch, round: round, views: views), from: voter, now: now,
                                    leadership: leadership, rng: &rng))
    }

    mutating func wake(at instant: Instant) -> [FailoverDirective] {
        now = instant
        return take(instance.onWakeUp(now: now, leadership: leadership, rng: &rng))
    }

    mutating func reconfigure(_ settings: FailoverSettings) -> [FailoverDirective] {
        take(instance.onReconfigure(settings, now: now, leadership: leadership, rng: &rng))
    }

    mutating func leadershipChanged() -> [FailoverDirective] {
        take(instance.onLeadership(leadership, now: now, rng: &rng))
    }

    /// Answers the call in flight: with `response`, or with what the zone does with it.
    mutating func answer(_ response: DNSResponse? = nil, after delay: Duration = .milliseconds(150),
                         sourceLocation: SourceLocation = #_sourceLocation) throws -> [FailoverDirective] {
        let call = try #require(pending.first, "no call in flight", sourceLocation: sourceLocation)
        pending.removeFirst()
        now += delay
        let answer = response ?? zone.handle(call.request)
        return take(instance.onDNSResponse(answer, to: call.id, now: now, leadership: leadership, rng: &rng),
                    sourceLocation: sourceLocation)
    }

    /// Answers calls from the zone until none is in flight; returns everything asked for meanwhile.
    mutating func settle(sourceLocation: SourceLocation = #_sourceLocation) throws -> [FailoverDirective] {
        var all: [FailoverDirective] = []
        for _ in 0..<50 where !pending.isEmpty { all += try answer(sourceLocation: sourceLocation) }
        #expect(pending.isEmpty, "the calls never settled", sourceLocation: sourceLocation)
        return all
    }
}
