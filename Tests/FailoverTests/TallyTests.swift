import Failover
import SansIO
import Testing

@Suite struct TallyTests {
    let t0 = Instant(nanoseconds: 1_000_000_000_000)
    let address = "192.0.2.1"

    func tally(minPeersAgree: Int = 1, rule: Tally.Rule = .agreeing) -> Tally {
        Tally(myself: "a", voters: ["a", "b", "c", "d", "e"], minPeersAgree: minPeersAgree, voteTTL: .seconds(30), rule: rule)
    }

    func message(_ state: EndpointView.State, bootEpoch: UInt64 = 1, round: UInt64 = 1, age: Duration = .zero,
                 address: String? = nil) -> VoteMessage {
        VoteMessage(bootEpoch: bootEpoch, round: round, views: [EndpointView(address: address ?? self.address, state: state, age: age)])
    }

    func own(_ state: EndpointView.State) -> EndpointView { EndpointView(address: address, state: state, age: .zero) }

    @Test func removeNeedsMinPeersAgreePlusOneDistinctDownViews() {
        var tally = tally()
        tally.recordOwn(own(.down), now: t0)
        #expect(tally.decision(for: address, now: t0) == TallyDecision(verdict: .keep, down: ["a"], up: []))
        // The same voter again is still one agent.
        tally.record(message(.down, round: 1), from: "b", now: t0)
        #expect(tally.decision(for: address, now: t0) == TallyDecision(verdict: .remove, down: ["a", "b"], up: []))

        // Peers alone count as well; the own view is one agent among them, not required.
        var peersOnly = self.tally()
        peersOnly.record(message(.down), from: "b", now: t0)
        peersOnly.record(message(.down, round: 2), from: "b", now: t0)
        #expect(peersOnly.decision(for: address, now: t0).verdict == .keep)
        peersOnly.record(message(.down), from: "c", now: t0)
        #expect(peersOnly.decision(for: address, now: t0).verdict == .remove)
    }

    @Test(arguments: [0, 1, 2, 4])
    func thresholdIsMinPeersAgreePlusOne(minPeersAgree: Int) {
        for state in [EndpointView.State.down, .up] {
            var tally = tally(minPeersAgree: minPeersAgree)
            #expect(tally.threshold == minPeersAgree + 1)
            let voters = ["a", "b", "c", "d", "e"]
            for voter in voters.prefix(minPeersAgree + 1) {
                #expect(tally.decision(for: address, now: t0).verdict == .keep)
                if voter == "a" { tally.recordOwn(own(state), now: t0) } else { tally.record(message(state), from: voter, now: t0) }
            }
            #expect(tally.decision(for: address, now: t0).verdict == (state == .down ? .remove : .restore))
        }
    }

    @Test func restoreNeedsAgreeingUpViewsAndDownWins() {
        var tally = tally()
        tally.recordOwn(own(.up), now: t0)
        #expect(tally.decision(for: address, now: t0).verdict == .keep)
        tally.record(message(.up), from: "b", now: t0)
        #expect(tally.decision(for: address, now: t0) == TallyDecision(verdict: .restore, down: [], up: ["a", "b"]))
        // Unknown views count for neither side.
        tally.record(message(.unknown), from: "c", now: t0)
        #expect(tally.decision(for: address, now: t0) == TallyDecision(verdict: .restore, down: [], up: ["a", "b"]))
        // A quorum of down views removes even while a quorum says up.
        tally.record(message(.down), from: "d", now: t0)
        tally.record(message(.down), from: "e", now: t0)
        #expect(tally.decision(for: address, now: t0) == TallyDecision(verdict: .remove, down: ["d", "e"], up: ["a", "b"]))
    }

    @Test func aViewOlderThanTheTTLStopsCounting() {
        var tally = tally()
        tally.recordOwn(own(.down), now: t0)
        // The view's own age does not matter, only when this node received it.
        tally.record(message(.down, age: .seconds(3_600)), from: "b", now: t0)
        #expect(tally.nextExpiry(after: t0) == t0 + .seconds(30))
        #expect(tally.decision(for: address, now: t0 + .seconds(30) - .nanoseconds(1)).verdict == .remove)
        #expect(tally.decision(for: address, now: t0 + .seconds(30)) == TallyDecision(verdict: .keep, down: ["a"], up: []))
        #expect(tally.nextExpiry(after: t0 + .seconds(30)) == nil)
        // The own view never expires.
        #expect(tally.decision(for: address, now: t0 + .seconds(86_400)).down == ["a"])
        // A fresh copy counts again and moves the expiry.
        tally.record(message(.down, round: 2), from: "b", now: t0 + .seconds(40))
        #expect(tally.decision(for: address, now: t0 + .seconds(40)).verdict == .remove)
        #expect(tally.nextExpiry(after: t0 + .seconds(40)) == t0 + .seconds(70))
    }

    @Test func nextExpiryIsTheEarliestPeerView() {
        var tally = tally()
        tally.record(message(.up), from: "b", now: t0 + .seconds(5))
        tally.record(message(.up, address: "192.0.2.2"), from: "c", now: t0 + .seconds(2))
        tally.record(message(.up), from: "d", now: t0 + .seconds(9))
        #expect(tally.nextExpiry(after: t0 + .seconds(10)) == t0 + .seconds(32))
        #expect(tally.nextExpiry(after: t0 + .seconds(32)) == t0 + .seconds(35))
    }

    @Test func nonVotersAndMyselfThroughRecordAreIgnored() {
        var tally = tally()
        #expect(tally.record(message(.down), from: "mallory", now: t0).isEmpty)
        #expect(tally.record(message(.down), from: "f", now: t0).isEmpty)
        // A vote message claiming to be this node cannot overwrite (or add to) its own view.
        tally.recordOwn(own(.up), now: t0)
        #expect(tally.record(message(.down, bootEpoch: 99, round: 99), from: "a", now: t0).isEmpty)
        tally.record(message(.down), from: "b", now: t0)
        #expect(tally.decision(for: address, now: t0) == TallyDecision(verdict: .keep, down: ["b"], up: ["a"]))
        #expect(tally.views(of: address).keys.sorted() == ["a", "b"])
        #expect(tally.nextExpiry(after: t0) == t0 + .seconds(30))
    }

    @Test func anOlderMessageNeverOverwritesANewerOne() {
        var tally = tally()
        #expect(tally.record(message(.down, bootEpoch: 1, round: 5), from: "b", now: t0) == [address])
        // A delayed copy of an earlier round: ignored.
        #expect(tally.record(message(.up, bootEpoch: 1, round: 4), from: "b", now: t0 + .seconds(1)).isEmpty)
        #expect(tally.views(of: address)["b"]?.state == .down)
        #expect(tally.views(of: address)["b"]?.receivedAt == t0)
        // A later round, and a restarted sender's higher boot epoch with a lower round, both win.
        tally.record(message(.up, bootEpoch: 1, round: 6), from: "b", now: t0 + .seconds(2))
        #expect(tally.views(of: address)["b"]?.state == .up)
        tally.record(message(.down, bootEpoch: 2, round: 1), from: "b", now: t0 + .seconds(3))
        #expect(tally.views(of: address)["b"]?.state == .down)
        tally.record(message(.up, bootEpoch: 1, round: 1_000), from: "b", now: t0 + .seconds(4))
        #expect(tally.views(of: address)["b"]?.state == .down)
        // The order is per address: an older round still carries news about another address.
        #expect(tally.record(message(.up, bootEpoch: 1, round: 1, address: "192.0.2.2"), from: "b", now: t0) == ["192.0.2.2"])
    }

    @Test func sinceIsReceiptMinusAge() throws {
        var tally = tally()
        tally.record(message(.down, age: .seconds(12)), from: "b", now: t0)
        let view = try #require(tally.views(of: address)["b"])
        #expect(view.since == t0 - .seconds(12))
        #expect(view.receivedAt == t0)
    }

    @Test func netSumDiffersFromAgreeing() {
        // One down view, no up view, min_peers_agree 1: goavail's net sum removes; agreeing keeps.
        var agreeing = tally(rule: .agreeing), netSum = tally(rule: .netSum)
        func vote(_ state: EndpointView.State, from voter: String) {
            agreeing.record(message(state), from: voter, now: t0)
            netSum.record(message(state), from: voter, now: t0)
        }
        vote(.down, from: "b")
        #expect(agreeing.decision(for: address, now: t0).verdict == .keep)
        #expect(netSum.decision(for: address, now: t0).verdict == .remove)

        // Two down and two up: a quorum saw it down, so agreeing removes; the net sum is zero and keeps.
        vote(.down, from: "c")
        vote(.up, from: "d")
        vote(.up, from: "e")
        #expect(agreeing.decision(for: address, now: t0).verdict == .remove)
        #expect(netSum.decision(for: address, now: t0).verdict == .keep)
    }

    @Test func netSumRestoresOnTheSurplusOfUpViews() {
        var tally = tally(minPeersAgree: 2, rule: .netSum)
        tally.record(message(.up), from: "b", now: t0)
        #expect(tally.decision(for: address, now: t0).verdict == .keep)
        tally.record(message(.up), from: "c", now: t0)
        #expect(tally.decision(for: address, now: t0).verdict == .restore)
    }
}
