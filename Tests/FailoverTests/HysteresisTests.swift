import Testing
import SansIO
import Failover

@Suite struct HysteresisTests {
    private func run(_ pattern: String, rise: Int = 2, fall: Int = 3) -> [Hysteresis.State?] {
        var h = Hysteresis(rise: rise, fall: fall)
        return pattern.enumerated().map { i, c in
            let t = Instant(nanoseconds: Int64(i))
            return h.record(CheckResult(success: c == "+", time: t), at: t)?.to
        }
    }

    @Test func upAfterExactlyRise() {
        #expect(run("++") == [nil, .up])
    }

    @Test func downAfterExactlyFall() {
        #expect(run("---") == [nil, nil, .down])
        #expect(run("++---") == [nil, .up, nil, nil, .down])
    }

    @Test func interruptedStreakResets() {
        #expect(run("--+---") == [nil, nil, nil, nil, nil, .down])
        #expect(run("+-+") == [nil, nil, nil])
    }

    @Test func randomizedAgainstReference() {
        var rng = SeededGenerator(seed: 42)
        for _ in 0..<200 {
            let rise = Int.random(in: 1...4, using: &rng), fall = Int.random(in: 1...4, using: &rng)
            var h = Hysteresis(rise: rise, fall: fall)
            var history: [Bool] = []
            var state = Hysteresis.State.unknown
            for i in 0..<60 {
                let ok = Bool.random(using: &rng)
                history.append(ok)
                let t = Instant(nanoseconds: Int64(i))
                let got = h.record(CheckResult(success: ok, time: t), at: t)
                let n = ok ? rise : fall
                let streak = history.count >= n && history.suffix(n).allSatisfy { $0 == ok }
                let expected: Hysteresis.State = streak ? (ok ? .up : .down) : state
                #expect(got?.to == (expected != state ? expected : nil))
                state = expected
            }
        }
    }
}
