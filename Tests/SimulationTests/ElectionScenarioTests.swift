import Raft
import SansIO
import Testing
@testable import Simulator

/// The figures issue 4 asks of the election, in virtual time over the three-region WAN with the
/// default timeouts; the election invariants (one leader per term, no overlapping leases, terms
/// and votes never going back) are checked after every event of every run.
@Suite struct ElectionScenarioTests {
    @Test func leaderCrashElectsANewLeaseHolderQuickly() async {
        let runs = await ScenarioRuns.run(.leaderCrash, seeds: 1...500)
        ScenarioRuns.expectNoViolations(runs)
        let p50 = ScenarioRuns.metric(runs, "election_s_p50"), p99 = ScenarioRuns.metric(runs, "election_s_p99")
        #expect(p50 <= 2.5, "election_s p50 = \(p50) s; replay: vantage simulate --scenario leader-crash --seeds 500")
        #expect(p99 <= 6, "election_s p99 = \(p99) s; replay: vantage simulate --scenario leader-crash --seeds 500")
        #expect(ScenarioRuns.metric(runs, "no_new_leader") == 0)
    }

    @Test func rejoiningNodeDoesNotDeposeTheLeader() async {
        let runs = await ScenarioRuns.run(.rejoin, seeds: 1...50)
        ScenarioRuns.expectNoViolations(runs)
        #expect(ScenarioRuns.metric(runs, "leader_changes_on_rejoin") == 0,
                "replay: vantage simulate --scenario rejoin --seeds 50")
        #expect(ScenarioRuns.metric(runs, "leader_changes_while_cut") == 0)
    }

    @Test func partialPartitionsKeepALeaseHolderNinetyNinePercentOfTheTime() async {
        let runs = await ScenarioRuns.run(.partialPartition, seeds: 1...20)
        ScenarioRuns.expectNoViolations(runs)
        let worst = runs.flatMap(\.measurements).filter { $0.name == "leader_availability" }.map(\.value).min() ?? 0
        #expect(worst >= 0.99, "worst availability \(worst); replay: vantage simulate --scenario partial-partition --seeds 20")
    }

    @Test func isolatedRegionNeverHoldsAValidLease() async {
        let runs = await ScenarioRuns.run(.minority, seeds: 1...30)
        ScenarioRuns.expectNoViolations(runs)
        #expect(ScenarioRuns.metric(runs, "minority_lease_samples") == 0,
                "replay: vantage simulate --scenario minority --seeds 30")
        #expect(ScenarioRuns.metric(runs, "majority_election_s_max") < 10)
    }

    @Test func swarmWithinTheDriftBoundKeepsEveryInvariant() async {
        let runs = await ScenarioRuns.run(.electionSwarm, seeds: 1...1_000, options: ScenarioOptions(duration: .seconds(60)))
        ScenarioRuns.expectNoViolations(runs)
        #expect(runs.count == 1_000)
    }

    /// With persistence switched off, restarted nodes forget their vote; the swarm must notice.
    @Test func swarmCatchesForgottenVotes() async {
        let settings = Scenario.electionSwarm.settings(ScenarioOptions(duration: .seconds(60)))
        let firstCaught = (1...300 as ClosedRange<UInt64>).first { seed in
            Scenario.electionSwarm(seed: seed, settings: settings, drift: 49_000_000, durableStore: false).violation != nil
        }
        #expect(firstCaught != nil, "no seed in 1...300 caught a volatile term store")
    }

    /// With clocks drifting six times faster than the lease allows, leases overlap; the swarm must notice.
    @Test func swarmCatchesDriftBeyondTheBound() async {
        let settings = Scenario.electionSwarm.settings(ScenarioOptions(duration: .seconds(60)))
        let caught = (1...300 as ClosedRange<UInt64>).first { seed in
            Scenario.electionSwarm(seed: seed, settings: settings, drift: 300_000_000, durableStore: true)
                .violation.map { $0.invariant == "election" && $0.message.contains("lease") } ?? false
        }
        #expect(caught != nil, "no seed in 1...300 caught drift beyond the bound")
    }

    @Test func electionRunsAreDeterministic() {
        for seed in 1...20 as ClosedRange<UInt64> {
            let first = Scenario.electionSwarm.run(seed: seed, options: ScenarioOptions(duration: .seconds(30)))
            let second = Scenario.electionSwarm.run(seed: seed, options: ScenarioOptions(duration: .seconds(30)))
            #expect(first.traceHash == second.traceHash, "seed \(seed)")
        }
    }
}
