import Raft
import SansIO

/// A seeded random fault schedule for ``ClusterHarness``: a chaos phase with loss, duplication,
/// long delays, partitions, hard crashes with restarts and graceful leader shutdowns, then a stable
/// phase (everything healed and restarted, perfect network) in which a leader must appear.
struct ChaosScenario {
    var nodeCount = 3
    var chaos: Duration = .seconds(60)
    var stable: Duration = .seconds(20)
    /// How long after the network stabilises a leader with a valid lease must exist. Restarted
    /// nodes refuse votes for up to E / (1 − d) = 1.58 s, a timeout takes at most 3 / 0.95 = 3.16 s,
    /// and split votes can repeat that; 15 s is several rounds of retries.
    var livenessBound: Duration = .seconds(15)
    var clockDrift = 0.05
    var clockRatesAtExtremes = false
    var storeForgetsOnCrash = false
    var meanFaultGap = 2.0
    var maxDowntime = 6.0

    struct Outcome {
        var harness: ClusterHarness
        /// Time from stabilisation to the first valid lease, when one appeared within the bound.
        var timeToLeader: Duration?
    }

    func run(seed: UInt64) -> Outcome {
        var options = ClusterHarness.Options()
        options.nodeCount = nodeCount
        options.clockDrift = clockDrift
        options.clockRatesAtExtremes = clockRatesAtExtremes
        options.storeForgetsOnCrash = storeForgetsOnCrash
        let harness = ClusterHarness(options: options, seed: seed)
        var faults = SeededGenerator(seed: seed).derived(stream: 3000)
        func seconds(_ value: Double) -> Int64 { Int64(value * 1e9) }
        func node() -> Int { Int.random(in: 0..<nodeCount, using: &faults) }

        harness.startAll()
        let chaosEnd = chaos.nanoseconds
        var time = seconds(1)
        while true {
            time += seconds(faults.nextUnit() * 2 * meanFaultGap)
            guard time < chaosEnd else { break }
            switch faults.nextUnit() {
            case ..<0.25:
                let victim = node()
                harness.schedule(.crash(victim), at: time)
                harness.schedule(.restart(victim), at: time + seconds(0.1 + faults.nextUnit() * maxDowntime))
            case ..<0.35:
                let linger = Duration.milliseconds(Int.random(in: 0...500, using: &faults))
                harness.schedule(.stopLeaderGracefully(linger: linger), at: time)
                harness.schedule(.restart(node()), at: time + seconds(1 + faults.nextUnit() * maxDowntime))
            case ..<0.55:
                harness.schedule(.isolate(node()), at: time)
            case ..<0.65:
                let from = node(), to = (from + 1 + Int.random(in: 0..<(nodeCount - 1), using: &faults)) % nodeCount
                harness.schedule(.cutLink(from: from, to: to), at: time)
            case ..<0.85:
                harness.schedule(.heal, at: time)
            default:
                let quality = ClusterHarness.NetworkQuality(
                    loss: faults.nextUnit() * 0.3, duplication: faults.nextUnit() * 0.1,
                    longDelay: faults.nextUnit() * 0.02)
                harness.schedule(.setNetwork(quality), at: time)
            }
        }
        harness.schedule(.heal, at: chaosEnd)
        harness.schedule(.setNetwork(.perfect), at: chaosEnd)
        for index in 0..<nodeCount { harness.schedule(.restart(index), at: chaosEnd) }
        harness.run(until: chaosEnd)
        let waited = harness.expectLeaderWithin(livenessBound, from: chaosEnd)
        harness.run(until: chaosEnd + stable.nanoseconds)
        return Outcome(harness: harness, timeToLeader: waited.map { .nanoseconds($0) })
    }
}
