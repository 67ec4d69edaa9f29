import Membership
import SansIO
import Testing
@testable import Simulator

/// The figures issue 3 asks the simulator to show for SWIM: 9 nodes in 3 regions, WAN defaults.
/// Seeds run as parallel test cases; each simulation is single-threaded and shares nothing.
@Suite struct MembershipScenarioTests {
    @Test func crashedMemberIsDeclaredDeadEverywhereWithinTheDetectionBudget() async {
        let runs = await ScenarioRuns.run(.crashMember, seeds: 1...200)
        ScenarioRuns.expectNoViolations(runs)
        let p50 = ScenarioRuns.metric(runs, "dead_detected_all_s_p50"), p99 = ScenarioRuns.metric(runs, "dead_detected_all_s_p99")
        #expect(p99 <= 12, "dead_detected_all_s p99 = \(p99) s; replay: vantage simulate --scenario crash-member --seeds 200")
        #expect(p50 <= 6, "dead_detected_all_s p50 = \(p50) s; replay: vantage simulate --scenario crash-member --seeds 200")
        #expect(ScenarioRuns.metric(runs, "undetected") == 0)
    }

    @Test func partitionedRegionReconvergesWithinTenSecondsOfTheHeal() async {
        let runs = await ScenarioRuns.run(.partitionHeal, seeds: 1...20)
        ScenarioRuns.expectNoViolations(runs)
        let worst = ScenarioRuns.metric(runs, "reconverge_s_max")
        #expect(worst <= 10, "reconverge_s max = \(worst) s; replay: vantage simulate --scenario partition-heal --seeds 20")
    }

    @Test func localHealthReducesFalseSuspicionsAfterAPause() async {
        let runs = await ScenarioRuns.run(.pause, seeds: 1...60)
        ScenarioRuns.expectNoViolations(runs)
        let on = ScenarioRuns.metric(runs, "false_suspicions_lhm_on"), off = ScenarioRuns.metric(runs, "false_suspicions_lhm_off")
        #expect(on < off, "false suspicions with LHM \(on), without \(off); replay: vantage simulate --scenario pause --seeds 60")
    }

    @Test func messagesPerMemberPerPeriodStayFlatFromEightTo512Members() async {
        var perSize: [Int: Double] = [:]
        for (nodes, duration) in [(8, 60), (64, 60), (512, 15)] {
            let runs = await ScenarioRuns.run(.steady, seeds: 1...1, options: ScenarioOptions(nodes: nodes, duration: .seconds(duration)))
            ScenarioRuns.expectNoViolations(runs)
            perSize[nodes] = ScenarioRuns.metric(runs, "messages_per_member_per_period")
        }
        let values = Array(perSize.values)
        let spread = values.max()! / values.min()!
        #expect(spread <= 1.25, "messages per member per period by size: \(perSize.sorted { $0.key < $1.key })")
    }

    @Test func swarmFaultsNeverBreakMembershipInvariants() async {
        let runs = await ScenarioRuns.run(.swarm, seeds: 1...100, options: ScenarioOptions(duration: .seconds(180)))
        ScenarioRuns.expectNoViolations(runs)
        #expect(ScenarioRuns.metric(runs, "faults") > 100)  // the plans really injected faults
    }

    /// Proves the false-dead check bites: with the test-only `refutationEnabled = false`, 10 % loss
    /// makes running members dead (seed 1, 10 simulated minutes).
    @Test func withoutRefutationLossDeclaresRunningMembersDead() {
        var swim = SWIM.Settings()
        swim.refutationEnabled = false
        let cluster = MembershipCluster(configuration: SimulationConfiguration(nodeCount: 9, conditions: LinkConditions(loss: 0.1)),
                                        settings: swim)
        let simulation = cluster.simulation(seed: 1)
        let tally = MembershipTally(simulation)
        simulation.run(until: .zero + .seconds(600))
        #expect(tally.falseDead > 0, "seed 1: false dead \(tally.falseDead)")
    }

    /// Issue 3: 20 seeds run twice give identical trace hashes (swarm: every fault kind).
    @Test func scenarioRunsAreDeterministic() async {
        let runs = await ScenarioRuns.run(.swarm, seeds: 1...20, options: ScenarioOptions(duration: .seconds(120)))
        let again = await ScenarioRuns.run(.swarm, seeds: 1...20, options: ScenarioOptions(duration: .seconds(120)))
        #expect(runs.map(\.traceHash) == again.map(\.traceHash))
        #expect(Set(runs.map(\.traceHash)).count == 20)  // and different seeds really differ
    }
}

/// The 10 %-loss figure: no false dead over 50 seeds × one simulated hour.
@Suite struct LossyScenarioTests {
    @Test func tenPercentLossNeverDeclaresARunningMemberDead() async {
        let runs = await ScenarioRuns.run(.lossy, seeds: 1...50)
        ScenarioRuns.expectNoViolations(runs)
        let falseDead = ScenarioRuns.metric(runs, "false_dead")
        #expect(runs.allSatisfy { $0.simulatedSeconds >= 3_600 })
        #expect(falseDead == 0, "false dead: \(falseDead); replay: vantage simulate --scenario lossy --seeds 50")
    }
}
