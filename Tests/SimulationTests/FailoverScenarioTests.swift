import Failover
import SansIO
import Testing
@testable import Simulator

/// The figures issue 13 asks of the failover path, in virtual time: nine agents in three regions
/// (RTT 90/160/230 ms), default timings (checks every 1 s with an 800 ms timeout, rise 2, fall 3),
/// the provider model's latency (median 150 ms, p99 400 ms), and the election and failover
/// invariants after every event of every run.
@Suite struct FailoverScenarioTests {
    @Test func endpointFailsOverWithinTheDetectionFloorPlusOneHopAndOneCall() async {
        let runs = await ScenarioRuns.run(.endpointDown, seeds: 1...500)
        ScenarioRuns.expectNoViolations(runs)
        let replay = "replay: vantage simulate --scenario endpoint-down --seeds 500"
        #expect(ScenarioRuns.metric(runs, "not_failed_over") == 0, "\(replay)")
        // One WAN hop and no waiting: the leader knows the records and holds a permit.
        #expect(ScenarioRuns.metric(runs, "decision_overhead_s_p99") <= 0.2, "\(replay)")
        // 3 × 1 s + 0.8 s + 0.5 s.
        #expect(ScenarioRuns.metric(runs, "failover_s_p99") <= 4.3, "\(replay)")
        #expect(ScenarioRuns.metric(runs, "api_calls_per_failover") == 1, "\(replay)")
    }

    @Test func recoveredEndpointReturnsOnceAQuorumSeesItUp() async {
        let runs = await ScenarioRuns.run(.endpointRecover, seeds: 1...200)
        ScenarioRuns.expectNoViolations(runs)
        let replay = "replay: vantage simulate --scenario endpoint-recover --seeds 200"
        #expect(ScenarioRuns.metric(runs, "not_recovered") == 0, "\(replay)")
        // rise × interval + one hop + one call.
        #expect(ScenarioRuns.metric(runs, "recovery_s_p99") <= 2 * 1 + 0.5 + 0.5, "\(replay)")
        #expect(ScenarioRuns.metric(runs, "duplicate_records") == 0, "\(replay)")
    }

    @Test func pathFailureFromOneRegionIsRemovedOnlyWhenFewAgentsMustAgree() async {
        let runs = await ScenarioRuns.run(.pathFailure, seeds: 1...40)
        ScenarioRuns.expectNoViolations(runs)
        let replay = "replay: vantage simulate --scenario path-failure --seeds 40"
        #expect(ScenarioRuns.metric(runs, "removed_with_min_peers_agree_3") == 0, "\(replay)")
        #expect(ScenarioRuns.metric(runs, "removed_with_min_peers_agree_1") == 40, "\(replay)")
    }

    @Test func allDownKeepsTheLastRecordAndAlertsOnce() async {
        let runs = await ScenarioRuns.run(.allDown, seeds: 1...40)
        ScenarioRuns.expectNoViolations(runs)
        let replay = "replay: vantage simulate --scenario all-down --seeds 40"
        let fewest = runs.flatMap(\.measurements).filter { $0.name == "records_left_min" }.map(\.value).min() ?? 0
        #expect(fewest >= 1, "\(replay)")
        let alerts = runs.flatMap(\.measurements).filter { $0.name == "all_down_alerts" }.map(\.value)
        #expect(alerts.allSatisfy { $0 == 1 }, "alerts per seed \(alerts); \(replay)")
    }

    @Test func flappingEndpointCausesNoWritesBeyondTheHysteresis() async {
        let runs = await ScenarioRuns.run(.endpointFlap, seeds: 1...2)
        ScenarioRuns.expectNoViolations(runs)
        // Down 2 s then up 2 s never makes fall = 3 failures in a row: DNS stays still.
        #expect(ScenarioRuns.metric(runs, "dns_writes_per_hour_max") == 0,
                "replay: vantage simulate --scenario endpoint-flap --seeds 2")
    }

    @Test func leaderCrashMidReconcileConvergesWithoutDuplicates() async {
        let runs = await ScenarioRuns.run(.leaderCrashMidReconcile, seeds: 1...100)
        ScenarioRuns.expectNoViolations(runs)
        let replay = "replay: vantage simulate --scenario leader-crash-mid-reconcile --seeds 100"
        #expect(ScenarioRuns.metric(runs, "unconverged") == 0, "\(replay)")
        #expect(ScenarioRuns.metric(runs, "duplicate_records") == 0, "\(replay)")
    }

    @Test func partitionedLeaderRegionNeverWritesWhileTheMajorityFailsOver() async {
        let runs = await ScenarioRuns.run(.partitionDuringFailover, seeds: 1...100)
        ScenarioRuns.expectNoViolations(runs)
        let replay = "replay: vantage simulate --scenario partition-during-failover --seeds 100"
        #expect(ScenarioRuns.metric(runs, "minority_writes") == 0, "\(replay)")
        #expect(ScenarioRuns.metric(runs, "not_failed_over") == 0, "\(replay)")
    }

    @Test func apiStormConvergesAfterwards() async {
        let runs = await ScenarioRuns.run(.apiStorm, seeds: 1...20)
        ScenarioRuns.expectNoViolations(runs)
        let replay = "replay: vantage simulate --scenario api-storm --seeds 20"
        #expect(ScenarioRuns.metric(runs, "unconverged") == 0, "\(replay)")
        #expect(ScenarioRuns.metric(runs, "duplicate_records") == 0, "\(replay)")
    }

    @Test func fenceHoldsBackWritesAtTheLeaseEdge() async {
        let runs = await ScenarioRuns.run(.leaseEdge, seeds: 1...100)
        ScenarioRuns.expectNoViolations(runs)
        #expect(ScenarioRuns.metric(runs, "unconverged") == 0, "replay: vantage simulate --scenario lease-edge --seeds 100")
    }

    @Test func failoverSwarmKeepsEveryInvariantAndConverges() async {
        let runs = await ScenarioRuns.run(.failoverSwarm, seeds: 1...1_000)
        ScenarioRuns.expectNoViolations(runs)
        let replay = "replay: vantage simulate --scenario failover-swarm --seeds 1000"
        #expect(ScenarioRuns.metric(runs, "unconverged") == 0, "\(replay)")
        #expect(ScenarioRuns.metric(runs, "duplicate_records") == 0, "\(replay)")
    }

    @Test func failoverRunsAreDeterministic() {
        for seed in 1...10 as ClosedRange<UInt64> {
            let options = ScenarioOptions(duration: .seconds(120))
            let first = Scenario.failoverSwarm.run(seed: seed, options: options)
            let second = Scenario.failoverSwarm.run(seed: seed, options: options)
            #expect(first.traceHash == second.traceHash, "seed \(seed)")
        }
    }
}

/// Each safety rule of the failover path bites: switched off, the swarm finds the violation.
@Suite struct FailoverSensitivityTests {
    static let settings = Scenario.failoverSwarm.settings(ScenarioOptions())

    static func firstCaught(_ rules: Scenario.FailoverRules, seeds: ClosedRange<UInt64>,
                            _ matches: (Violation) -> Bool) -> UInt64? {
        seeds.first { seed in
            Scenario.failoverSwarm(seed: seed, settings: settings, rules: rules).violation.map(matches) ?? false
        }
    }

    /// goavail's net sum (down minus up) removes an address on one agent's view when the others
    /// have none yet (a cold start with the endpoint already down).
    @Test func netSumInsteadOfAgreeingViewsIsCaught() {
        let seed = Self.firstCaught(.init(tallyRule: .netSum), seeds: 1...300) {
            $0.invariant == "failover" && $0.message.contains("down views from only")
        }
        #expect(seed != nil, "no seed in 1...300 caught the net-sum tally")
        print("net-sum tally caught by failover-swarm seed \(seed.map(String.init) ?? "none")")
    }

    @Test func skippingTheNeverEmptyRuleIsCaught() {
        let seed = Self.firstCaught(.init(emptyNamePolicy: .allowEmpty), seeds: 1...300) {
            $0.invariant == "failover" && $0.message.contains("with no records")
        }
        #expect(seed != nil, "no seed in 1...300 caught an emptied name")
        print("allowing an empty name caught by failover-swarm seed \(seed.map(String.init) ?? "none")")
    }

    /// Without the fence a write started with little lease left lands after the lease ran out.
    /// (The random swarm finds it too, but only after hundreds of seeds; `lease-edge` aims at it.)
    @Test func skippingTheLeaseCheckBeforeACallIsCaught() {
        let settings = Scenario.leaseEdge.settings(ScenarioOptions())
        let seed = (1...100 as ClosedRange<UInt64>).first { seed in
            Scenario.leaseEdge(seed: seed, settings: settings, fenceEnabled: false).violation.map {
                $0.invariant == "failover" && $0.message.contains("outside its term")
            } ?? false
        }
        #expect(seed != nil, "no seed in 1...100 of lease-edge caught a write outliving its lease")
        print("unfenced write caught by lease-edge seed \(seed.map(String.init) ?? "none")")
    }
}
