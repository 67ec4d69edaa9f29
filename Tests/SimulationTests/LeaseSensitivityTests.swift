import Raft
import SansIO
import Testing
@testable import Simulator
import Wire

/// The two lease breaks mutation testing found caught only by exact-value unit tests (issue 17),
/// now caught by behaviour: the real election runs on the simulated WAN, but the node claims its
/// lease the broken way, and the invariant that holds every claimed lease start against the
/// recorded true send time of its heartbeat round names it.
@Suite struct LeaseSensitivityTests {
    enum LeaseRule: Sendable {
        /// What `HeartbeatRounds` does: from the send time of the majority-acknowledged round.
        case fromRoundSend
        /// The break: from the arrival of the acknowledgement that completed the majority.
        case fromAcknowledgementArrival
        /// The break: `E − margin`, forgetting the `(1 − d)` drift factor.
        case withoutDriftTerm
    }

    /// The real `ElectionComponent`, whose leadership answer is re-derived by `rule`.
    struct MiscountingElection: NodeComponent {
        var inner: ElectionComponent
        let rule: LeaseRule
        /// For `.fromAcknowledgementArrival`: arrival of the ack that last moved the lease, plus the lease.
        var arrivalExpiry: Instant?

        var kind: MessageKind { inner.kind }
        mutating func start(_ io: inout ComponentIO) { inner.start(&io) }
        mutating func wakeUp(_ io: inout ComponentIO) { inner.wakeUp(&io) }

        mutating func receive(_ body: [UInt8], from sender: String, _ io: inout ComponentIO) throws(DecodeError) {
            let before = inner.leadership(now: io.now)?.leaseExpiry
            try inner.receive(body, from: sender, &io)
            let after = inner.leadership(now: io.now)?.leaseExpiry
            if let after, after != before { arrivalExpiry = io.now + inner.settings.lease }
        }

        func leadership(now: Instant) -> Leadership? {
            guard var leadership = inner.leadership(now: now), let expiry = leadership.leaseExpiry else {
                return inner.leadership(now: now)
            }
            let settings = inner.settings
            switch rule {
            case .fromRoundSend: break
            case .fromAcknowledgementArrival: leadership.leaseExpiry = arrivalExpiry ?? expiry
            case .withoutDriftTerm:
                leadership.leaseExpiry = expiry - settings.lease + (settings.electionTimeoutMin - settings.leaseMargin)
            }
            leadership.isLeaseValid = leadership.role == .leader && leadership.leaseExpiry.map { now < $0 } == true
            return leadership
        }
    }

    /// Five nodes on the three-region WAN with drift inside the bound, 30 s; the first violation.
    func run(_ rule: LeaseRule, seed: UInt64) -> Violation? {
        let settings = ElectionSettings()
        let voters = (0..<5).map { "node-\($0)" }
        let configuration = SimulationConfiguration(nodeCount: 5, maxDriftPartsPerBillion: 49_000_000)
        let simulation = Simulation(seed: seed, configuration: configuration) { _ in
            ComponentHost(components: [MiscountingElection(inner: ElectionComponent(voters: voters, settings: settings), rule: rule)])
        }
        simulation.add(ElectionInvariants(settings: settings))
        return simulation.run(until: .zero + .seconds(30))
    }

    @Test func theRealRuleIsLawful() {
        for seed in 1...20 as ClosedRange<UInt64> { #expect(run(.fromRoundSend, seed: seed) == nil, "seed \(seed)") }
    }

    @Test(arguments: [LeaseRule.fromAcknowledgementArrival, .withoutDriftTerm])
    func aMiscountedLeaseIsCaughtAtTheFirstLeaseOfEverySeed(rule: LeaseRule) {
        for seed in 1...20 as ClosedRange<UInt64> {
            let violation = run(rule, seed: seed)
            #expect(violation?.message.contains("claims a lease") == true,
                    "seed \(seed): \(violation.map(String.init(describing:)) ?? "not caught")")
        }
    }
}
