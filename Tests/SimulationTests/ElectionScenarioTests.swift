import Raft
import SansIO
import Testing
@testable import Simulator

/// The figures issue 4 asks of the election, in virtual time over the three-region WAN with the
/// default timeouts; the election invariants (`ElectionInvariants`: one leader per term, no
/// overlapping leases, every lease backed by a round a majority received, durable terms and votes
/// never going back, one vote per term on the wire, nothing sent ahead of the disk) are checked
/// after every event of every run. Each invariant's own test is in `ElectionInvariantTests`.
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

    /// 1,000 seeds of faults (the leader nemesis with crashes, cuts and graceful hand-overs among
    /// them), then a stable world in which a lease holder must appear within 15 s and stay; the
    /// retired `Tests/RaftTests` harness's chaos-then-liveness check, on the one simulator.
    @Test func swarmWithinTheDriftBoundKeepsEveryInvariant() async {
        let runs = await ScenarioRuns.run(.electionSwarm, seeds: 1...1_000, options: ScenarioOptions(duration: .seconds(60)))
        ScenarioRuns.expectNoViolations(runs)
        for run in runs {
            #expect(run.measurements.first { $0.name == "no_leader_when_stable" }?.value == 0,
                    "seed \(run.seed): no lease holder within 15 s of the world stabilising; replay: vantage simulate --scenario election-swarm --seed \(run.seed) --duration 60s")
        }
        // The faults the invariants are meant to survive did happen.
        #expect(ScenarioRuns.metric(runs, "leader_faults") >= 1_000)
        #expect(ScenarioRuns.metric(runs, "hand_overs") >= 100)
        #expect(ScenarioRuns.metric(runs, "stable_election_s_max") < 15)
    }

    /// Slow and failing term-and-vote writes (and writes lost to crashes): sends wait for their
    /// write, a failed one takes its sends with it; every invariant holds, and the cluster still
    /// elects once the world is stable.
    @Test func swarmWithDiskFaultsKeepsEveryInvariant() async {
        let runs = await ScenarioRuns.run(.electionDiskSwarm, seeds: 1...300, options: ScenarioOptions(duration: .seconds(60)))
        ScenarioRuns.expectNoViolations(runs)
        #expect(ScenarioRuns.metric(runs, "no_leader_when_stable") == 0,
                "replay: vantage simulate --scenario election-swarm-disk --seeds 300 --duration 60s")
        #expect(ScenarioRuns.metric(runs, "failed_writes") >= 300, "the disk must actually fail writes")
        #expect(ScenarioRuns.metric(runs, "leader_faults") >= 300)
    }

    /// A store that acknowledges writes it did not make durable: restarted nodes forget their
    /// vote and their disk never holds what they announced; the swarm must notice.
    @Test func swarmCatchesForgottenVotes() async {
        let settings = Scenario.electionSwarm.settings(ScenarioOptions(duration: .seconds(60)))
        for disk in [DiskConditions.instant, Scenario.swarmDisk(seed: 1)] {
            let caught = (1...300 as ClosedRange<UInt64>).lazy.compactMap { seed in
                Scenario.electionSwarm(seed: seed, settings: settings, drift: 49_000_000, durableStore: false, disk: disk).violation
            }.first
            #expect(caught?.invariant == "election", "no seed in 1...300 caught a volatile term store (disk \(disk))")
            #expect(caught?.message.contains("before the write was durable") == true, "\(caught.map(String.init(describing:)) ?? "")")
        }
    }

    /// With clocks drifting six times faster than the lease allows (each at +30 % or −30 %), a slow
    /// old leader's lease outlives fast followers' refusal and leases overlap; the swarm must notice.
    @Test func swarmCatchesDriftBeyondTheBound() async {
        let settings = Scenario.electionSwarm.settings(ScenarioOptions(duration: .seconds(60)))
        let violations = (1...300 as ClosedRange<UInt64>).lazy.compactMap { seed in
            Scenario.electionSwarm(seed: seed, settings: settings, drift: 300_000_000, durableStore: true,
                                   extremeClocks: true).violation
        }
        let caught = violations.first { $0.invariant == "election" && $0.message.contains("lease") }
        #expect(caught != nil, "no seed in 1...300 caught drift beyond the bound; first violations: \(violations.prefix(3).map(\.message))")
    }

    @Test func electionRunsAreDeterministic() {
        for seed in 1...20 as ClosedRange<UInt64> {
            let first = Scenario.electionSwarm.run(seed: seed, options: ScenarioOptions(duration: .seconds(30)))
            let second = Scenario.electionSwarm.run(seed: seed, options: ScenarioOptions(duration: .seconds(30)))
            #expect(first.traceHash == second.traceHash, "seed \(seed)")
        }
    }
}
