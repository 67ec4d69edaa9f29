import Membership
import SansIO
import Testing
import Wire

private let a = MemberID(name: "a", address: "10.0.0.1:7946")
private let b = MemberID(name: "b", address: "10.0.0.2:7946")
private let c = MemberID(name: "c", address: "10.0.0.3:7946")

private func message(_ kind: SWIM.Message.Kind = .ping, from sender: MemberID, incarnation: UInt64 = 0,
                     sequence: UInt64 = 1, gossip: [SWIM.Update] = []) -> SWIM.Message {
    SWIM.Message(kind: kind, sender: sender, incarnation: incarnation, sequence: sequence, gossip: gossip)
}

private func update(_ id: MemberID, _ status: MemberStatus, _ incarnation: UInt64, origin: String? = nil) -> SWIM.Update {
    SWIM.Update(member: Member(id: id, status: status, incarnation: incarnation), origin: origin)
}

private func sends(_ directives: [SWIM.Directive]) -> [(SWIM.Message, MemberID)] {
    directives.compactMap { if case .send(let message, let to) = $0 { (message, to) } else { nil } }
}

private func wakeUp(_ directives: [SWIM.Directive]) -> Instant? {
    directives.compactMap { if case .wakeUp(let at) = $0 { at } else { nil } }.last
}

@Suite struct MembershipRuleTests {
    @Test func startPingsEverySeed() {
        var rng = SeededGenerator(seed: 1)
        var instance = SWIM.Instance(myself: a, seeds: [b, c])
        let out = instance.onStart(now: .zero, rng: &rng)
        #expect(Set(sends(out).map(\.1.name)) == ["b", "c"])
        #expect(wakeUp(out) != nil)
    }

    @Test func refutationBumpsIncarnationAboveTheSuspicion() {
        var rng = SeededGenerator(seed: 2)
        var instance = SWIM.Instance(myself: a, seeds: [])
        _ = instance.onStart(now: .zero, rng: &rng)
        let out = instance.onMessage(message(from: b, gossip: [update(a, .suspect, 4, origin: "b")]), now: .zero, rng: &rng)
        #expect(instance.incarnation == 5)
        let ack = sends(out).first { $0.0.kind == .ack }
        #expect(ack?.0.incarnation == 5)
        #expect(ack?.0.gossip.contains { $0.member.id == a && $0.member.status == .alive && $0.member.incarnation == 5 } == true)
    }

    @Test func refutationCanBeDisabledForTests() {
        var rng = SeededGenerator(seed: 2)
        var settings = SWIM.Settings()
        settings.refutationEnabled = false
        var instance = SWIM.Instance(myself: a, seeds: [], settings: settings)
        _ = instance.onMessage(message(from: b, gossip: [update(a, .suspect, 0, origin: "b")]), now: .zero, rng: &rng)
        #expect(instance.incarnation == 0)
    }

    @Test func suspicionTimeoutShrinksWithConfirmations() {
        var rng = SeededGenerator(seed: 3)
        let settings = SWIM.Settings()
        func deadline(confirmers: [String]) -> Instant? {
            var instance = SWIM.Instance(myself: a, seeds: [], settings: settings)
            _ = instance.onMessage(message(from: b), now: .zero, rng: &rng)
            for origin in confirmers {
                _ = instance.onMessage(message(.ack, from: b, gossip: [update(c, .suspect, 0, origin: origin)]),
                                       now: .zero, rng: &rng)
            }
            #expect(instance.member(named: "c")?.status == .suspect)
            // The earliest deadline is the suspicion's until a probe is due; compare through expiry.
            var probeTime = Instant.zero + settings.suspicionMin - .milliseconds(1)
            var deadAt: Instant?
            while probeTime <= .zero + settings.suspicionMax + .seconds(1) {
                _ = instance.onWakeUp(now: probeTime, rng: &rng)
                if instance.member(named: "c")?.status == .dead { deadAt = probeTime; break }
                probeTime += .milliseconds(250)
            }
            return deadAt
        }
        let one = deadline(confirmers: ["b"])!, two = deadline(confirmers: ["b", "x"])!
        let four = deadline(confirmers: ["b", "x", "y", "z"])!
        #expect(one > two && two > four)
        #expect(four - .zero <= settings.suspicionMin + .milliseconds(250))
        #expect(one - .zero >= settings.suspicionMax - .milliseconds(250))
    }

    @Test func missedProbesRaiseLocalHealthAndStretchTheProbeTimeout() {
        var rng = SeededGenerator(seed: 4)
        var instance = SWIM.Instance(myself: a, seeds: [])
        _ = instance.onStart(now: .zero, rng: &rng)
        _ = instance.onMessage(message(from: b, gossip: [update(c, .alive, 0)]), now: .zero, rng: &rng)
        var now = Instant.zero
        var pings: [Instant] = []
        for _ in 0..<400 {
            now += .milliseconds(50)
            for (sent, _) in sends(instance.onWakeUp(now: now, rng: &rng)) where sent.kind == .ping && sent.sequence != 0 {
                pings.append(now)
            }
        }
        #expect(instance.localHealth > 0)
        // Unanswered probes stretch the protocol period: the gap between probes grows.
        #expect(pings.count >= 3 && pings[2] - pings[1] > pings[1] - pings[0])
        // Successful probes lower it again.
        let before = instance.localHealth
        _ = instance.onMessage(message(from: c, incarnation: 1), now: now, rng: &rng)
        var answered = 0
        for _ in 0..<2_000 where answered < 3 {
            now += .milliseconds(50)
            for (sent, to) in sends(instance.onWakeUp(now: now, rng: &rng)) where sent.kind == .ping && sent.sequence != 0 && to == c {
                _ = instance.onMessage(message(.ack, from: c, incarnation: 1, sequence: sent.sequence), now: now, rng: &rng)
                answered += 1
            }
        }
        #expect(answered == 3 && instance.localHealth < before)
    }

    @Test func localHealthCanBeDisabled() {
        var rng = SeededGenerator(seed: 4)
        var settings = SWIM.Settings()
        settings.localHealthEnabled = false
        var instance = SWIM.Instance(myself: a, seeds: [], settings: settings)
        _ = instance.onStart(now: .zero, rng: &rng)
        _ = instance.onMessage(message(from: b), now: .zero, rng: &rng)
        var now = Instant.zero
        for _ in 0..<200 { now += .milliseconds(50); _ = instance.onWakeUp(now: now, rng: &rng) }
        #expect(instance.localHealth == 0)
    }

    @Test func tombstoneBlocksRevivalWithoutAHigherIncarnation() {
        var rng = SeededGenerator(seed: 5)
        var instance = SWIM.Instance(myself: a, seeds: [])
        _ = instance.onMessage(message(from: b, gossip: [update(c, .dead, 3)]), now: .zero, rng: &rng)
        #expect(instance.member(named: "c")?.status == .dead)
        _ = instance.onMessage(message(from: b, gossip: [update(c, .alive, 3)]), now: .zero, rng: &rng)
        _ = instance.onMessage(message(from: c, incarnation: 2), now: .zero, rng: &rng)
        #expect(instance.member(named: "c")?.status == .dead)
        _ = instance.onMessage(message(from: b, gossip: [update(c, .alive, 4)]), now: .zero, rng: &rng)
        #expect(instance.member(named: "c") == Member(id: c, status: .alive, incarnation: 4))
    }

    @Test func aMessageToADeadMemberTellsItSoItCanRefute() {
        var rng = SeededGenerator(seed: 6)
        var instance = SWIM.Instance(myself: a, seeds: [])
        _ = instance.onMessage(message(from: b, gossip: [update(c, .dead, 1)]), now: .zero, rng: &rng)
        let out = instance.onMessage(message(from: c, incarnation: 1), now: .zero, rng: &rng)
        let ack = sends(out).first { $0.1 == c }
        #expect(ack?.0.gossip.first == update(c, .dead, 1))
    }

    @Test func gossipStopsAfterTheRetransmitLimit() {
        var rng = SeededGenerator(seed: 7)
        var instance = SWIM.Instance(myself: a, seeds: [])
        let first = instance.onMessage(message(from: b, gossip: [update(c, .alive, 9)]), now: .zero, rng: &rng)
        // 3 members: limit = λ·⌈log10(4)⌉ = 4 with the default λ.
        var carried = sends(first).filter { $0.0.gossip.contains(update(c, .alive, 9)) }.count
        for sequence in UInt64(1)...20 {
            for (sent, _) in sends(instance.onMessage(message(from: b, sequence: sequence), now: .zero, rng: &rng))
            where sent.gossip.contains(update(c, .alive, 9)) { carried += 1 }
        }
        #expect(carried == SWIM.Settings().retransmitMultiplier)
    }

    @Test func gracefulLeaveAnnouncesLeft() {
        var rng = SeededGenerator(seed: 8)
        var instance = SWIM.Instance(myself: a, seeds: [])
        _ = instance.onMessage(message(from: b), now: .zero, rng: &rng)
        let out = sends(instance.onLeave(now: .zero))
        #expect(out.count == 1 && out[0].0.gossip.contains { $0.member.id == a && $0.member.status == .left })
        var other = SWIM.Instance(myself: b, seeds: [])
        _ = other.onMessage(message(from: a), now: .zero, rng: &rng)
        _ = other.onMessage(out[0].0, now: .zero, rng: &rng)
        #expect(other.member(named: "a")?.status == .left)
    }
}

@Suite struct MessageCodecTests {
    private static func sample(gossip count: Int) -> SWIM.Message {
        SWIM.Message(kind: .pingReq, sender: a, incarnation: 7, sequence: 300, target: c,
                     gossip: (0..<count).map { update(MemberID(name: "n\($0)", address: "sim:\($0)"),
                                                      MemberStatus.allCases[$0 % 4], UInt64($0), origin: "a") })
    }

    @Test func roundTrips() throws {
        for kind in SWIM.Message.Kind.allCases {
            var message = Self.sample(gossip: 5)
            message.kind = kind
            #expect(try SWIM.Message.decode(message.encoded()) == message)
        }
    }

    @Test func gossipFromTheInstanceFitsTheEnvelopeBody() {
        var rng = SeededGenerator(seed: 9)
        var instance = SWIM.Instance(myself: a, seeds: [])
        let many = (0..<200).map { update(MemberID(name: "member-\($0)-with-a-long-name", address: "192.168.100.\($0 % 250):7946"), .alive, 1) }
        _ = instance.onMessage(message(from: b, gossip: Array(many.prefix(60))), now: .zero, rng: &rng)
        _ = instance.onMessage(message(from: b, gossip: Array(many.dropFirst(60).prefix(60))), now: .zero, rng: &rng)
        for (sent, _) in sends(instance.onMessage(message(from: b, sequence: 2), now: .zero, rng: &rng)) {
            #expect(sent.encoded().count <= Envelope.maximumBodyLength)
            #expect(!sent.gossip.isEmpty)
        }
    }

    @Test func twentyThousandMutatedInputsNeverCrash() {
        var rng = SeededGenerator(seed: 0xF022)
        let valid = Self.sample(gossip: 12).encoded()
        var accepted = 0
        for _ in 0..<20_000 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                case 1: bytes.removeLast(Int.random(in: 0...min(8, bytes.count - 1), using: &rng))
                default: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 0...bytes.count, using: &rng))
                }
            }
            if let decoded = try? SWIM.Message.decode(bytes) {
                accepted += 1
                #expect(decoded.encoded() == bytes)
            }
        }
        #expect(accepted < 20_000)
        #expect(throws: DecodeError.self) { try SWIM.Message.decode([UInt8](repeating: 1, count: Envelope.maximumBodyLength + 1)) }
    }
}

/// The rules that carry refutations and confirmations directly instead of through gossip alone.
@Suite struct SuspicionFollowUpTests {
    /// An instance `a` that knows `b` and `c` alive and has just heard, by gossip from `b`, that
    /// `c` is suspected.
    private func suspecting(_ rng: inout SeededGenerator) -> SWIM.Instance {
        var instance = SWIM.Instance(myself: a, seeds: [])
        _ = instance.onStart(now: .zero, rng: &rng)
        _ = instance.onMessage(message(from: c), now: .zero, rng: &rng)
        _ = instance.onMessage(message(.ack, from: b, sequence: 99, gossip: [update(c, .suspect, 0, origin: "b")]),
                               now: .zero, rng: &rng)
        return instance
    }

    @Test func aSuspectLearnedByGossipIsProbedNext() {
        var rng = SeededGenerator(seed: 11)
        var instance = suspecting(&rng)
        // The first probe after the suspicion goes to the suspect, whatever the round-robin order.
        let pings = sends(instance.onWakeUp(now: .zero + .seconds(1), rng: &rng)).filter { $0.0.kind == .ping && $0.0.sequence != 0 }
        #expect(pings.map(\.1.name) == ["c"])
        // The ping tells the suspect it is suspected, so it can refute at once.
        #expect(pings.first?.0.gossip.contains { $0.member.id == c && $0.member.status == .suspect } == true)
    }

    @Test func aHeldSuspicionIsCheckedEveryProbeIntervalUntilItEnds() {
        var rng = SeededGenerator(seed: 12)
        var instance = suspecting(&rng)
        var refuted = false
        /// Check pings (sequence 0) to `c` at `seconds`; `c` acks every probe with its incarnation
        /// (an ack at the suspected incarnation does not end the suspicion).
        func checks(at seconds: Double) -> Int {
            let now = Instant.zero + .milliseconds(Int64(seconds * 1000))
            let out = sends(instance.onWakeUp(now: now, rng: &rng)).filter { $0.0.kind == .ping && $0.1 == c }
            for (probe, _) in out where probe.sequence != 0 {
                _ = instance.onMessage(message(.ack, from: c, incarnation: refuted ? 1 : 0, sequence: probe.sequence),
                                       now: now, rng: &rng)
            }
            return out.filter { $0.0.sequence == 0 }.count
        }
        #expect(checks(at: 0) == 1)
        #expect(checks(at: 0.5) == 0)
        #expect(checks(at: 1) == 1)
        // The suspect answers with a refuted incarnation: the suspicion ends, and so do the checks.
        _ = instance.onMessage(message(.ack, from: c, incarnation: 1, sequence: 0), now: .zero + .seconds(1), rng: &rng)
        refuted = true
        #expect(instance.member(named: "c")?.status == .alive)
        #expect((2...8).map { checks(at: Double($0)) }.allSatisfy { $0 == 0 })
    }

    @Test func aMemberToldItIsDeadAnswersTheTellerDirectly() {
        var rng = SeededGenerator(seed: 13)
        var instance = SWIM.Instance(myself: a, seeds: [])
        _ = instance.onStart(now: .zero, rng: &rng)
        // A stale claim (incarnation already refuted) still gets the current incarnation sent back.
        _ = instance.onMessage(message(from: c, gossip: [update(a, .suspect, 0, origin: "c")]), now: .zero, rng: &rng)
        #expect(instance.incarnation == 1)
        let out = instance.onMessage(message(.ack, from: b, sequence: 7, gossip: [update(a, .dead, 0)]), now: .zero, rng: &rng)
        let direct = sends(out).filter { $0.1 == b && $0.0.kind == .ping }
        #expect(direct.count == 1)
        #expect(direct.first?.0.incarnation == 1)
        // A ping needs no extra message: its ack carries the incarnation.
        let answered = instance.onMessage(message(.ping, from: b, sequence: 8, gossip: [update(a, .dead, 0)]), now: .zero, rng: &rng)
        #expect(sends(answered).filter { $0.1 == b }.map(\.0.kind) == [.ack])
    }
}
