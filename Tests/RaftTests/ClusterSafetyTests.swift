import Raft
import SansIO
import Testing

/// Safety and liveness of the election under the harness's faults, and proof that the checks bite.
@Suite struct ClusterSafetyTests {
    /// Every safety invariant holds after every event for 300 seeds each of 3 and 5 nodes, and on the
    /// stable network a leader with a valid lease appears within the bound and is still there at the end.
    @Test(arguments: [3, 5])
    func invariantsHoldUnderChaos(nodeCount: Int) {
        var slowest: Duration = .zero
        var events = 0
        var leases = 0
        var smallestGap = Int64.max
        for seed in UInt64(1)...300 {
            // Every other seed puts each clock at an end of the allowed drift range.
            let outcome = ChaosScenario(nodeCount: nodeCount, clockRatesAtExtremes: seed % 2 == 0).run(seed: seed)
            let harness = outcome.harness
            #expect(harness.violations.isEmpty, "seed \(seed): \(harness.violations.prefix(3))")
            #expect(harness.leaseHolder != nil, "seed \(seed): no lease holder at the end of the stable phase")
            if let waited = outcome.timeToLeader { slowest = max(slowest, waited) }
            events += harness.events
            leases += harness.leaseAcquisitions.count
            smallestGap = min(smallestGap, harness.smallestLeaseGap ?? .max)
            if !harness.violations.isEmpty { break }
        }
        print("[raft-harness] \(nodeCount) nodes, 300 seeds: \(events) events, \(leases) leases, slowest leader after stabilising \(slowest), smallest gap between successive leases \(Double(smallestGap) / 1e6) ms")
    }
}

extension ClusterSafetyTests {
    /// DESIGN invariant 6 for the election: one seed, one history.
    @Test func sameSeedSameHistory() {
        let first = ChaosScenario(nodeCount: 5).run(seed: 77).harness
        let second = ChaosScenario(nodeCount: 5).run(seed: 77).harness
        #expect(first.events == second.events)
        #expect(first.leaseAcquisitions.map { "\($0.node)@\($0.term)@\($0.time)" }
            == second.leaseAcquisitions.map { "\($0.node)@\($0.term)@\($0.time)" })
        #expect(first.events != ChaosScenario(nodeCount: 5).run(seed: 78).harness.events)
    }
}

/// The harness's checks bite: break an assumption the proofs rely on and some seed exposes it.
@Suite struct HarnessSensitivityTests {
    /// Returns the first seed whose run shows one of `kinds`, with that violation.
    private func firstSeed(
        in seeds: ClosedRange<UInt64>, scenario: ChaosScenario, kinds: Set<ClusterHarness.ViolationKind>
    ) -> (seed: UInt64, violation: ClusterHarness.Violation)? {
        for seed in seeds {
            if let found = scenario.run(seed: seed).harness.violations.first(where: { kinds.contains($0.kind) }) {
                return (seed, found)
            }
        }
        return nil
    }

    /// A store that forgets (term, vote) on a crash lets a node vote twice in one term, which
    /// elects two leaders in one term; the term regression itself is caught on restart.
    @Test func forgetfulStoreIsCaught() {
        var scenario = ChaosScenario()
        scenario.storeForgetsOnCrash = true
        for kind: ClusterHarness.ViolationKind in [.twoLeadersInTerm, .voteChanged, .termWentBackwards] {
            let found = firstSeed(in: 1...300, scenario: scenario, kinds: [kind])
            #expect(found != nil, "no seed showed \(kind)")
            if let found { print("[raft-harness] forgetful store: seed \(found.seed): \(found.violation)") }
        }
    }

    /// Clocks drifting 30 % while the settings promise 5 %: a slow old leader's lease outlives the
    /// fast followers' vote refusal and two leases overlap.
    @Test func driftBeyondTheBoundIsCaught() {
        var scenario = ChaosScenario()
        scenario.clockDrift = 0.3
        scenario.clockRatesAtExtremes = true
        let found = firstSeed(in: 1...300, scenario: scenario, kinds: [.leaseOverlap])
        #expect(found != nil)
        if let found { print("[raft-harness] drift 0.3 with bound 0.05: seed \(found.seed): \(found.violation)") }
    }
}
