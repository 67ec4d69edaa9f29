import Simulator

/// Simulator throughput on the `steady` membership scenario (real SWIM, real envelope codec):
/// simulated seconds per wall second and events per wall second, at 9, 100 and 1,000 nodes; then
/// whole agents (membership, election and failover on every node, a flapping endpoint) at 9 and
/// 100 nodes, and failover-swarm seeds per wall minute on one core.
var simulatorSuite: BenchmarkSuite {
    BenchmarkSuite(name: "simulator", run: runSimulatorBenchmarks)
}

private func runSimulatorBenchmarks() -> [Figure] {
    var figures: [Figure] = []
    let cases: [(nodes: Int, duration: Duration, goal: String)] = [
        (9, .seconds(1_800), "goal ≥ 3,600×"),
        (100, .seconds(300), "goal ≥ 500×"),
        (1_000, .seconds(30), "goal: completes"),
    ]
    for (nodes, duration, goal) in cases {
        var run: ScenarioRun?
        let wall = measureSeconds {
            run = Scenario.steady.run(seed: 1, options: ScenarioOptions(nodes: nodes, duration: duration))
        }
        guard let run else { continue }
        let label = "steady \(nodes) nodes, \(Int(run.simulatedSeconds)) s simulated"
        figures.append(Figure(name: "\(label): simulated s per wall s", value: run.simulatedSeconds / wall, unit: "×",
                              note: goal))
        figures.append(Figure(name: "\(label): events per wall s", value: Double(run.events) / wall, unit: "ev/s"))
        if nodes == 1_000 { figures.append(Figure(name: "\(label): wall time", value: wall, unit: "s")) }
    }
    for (nodes, duration) in [(9, Duration.seconds(600)), (100, .seconds(60))] {
        var run: ScenarioRun?
        let wall = measureSeconds {
            run = Scenario.endpointFlap.run(seed: 1, options: ScenarioOptions(nodes: nodes, duration: duration))
        }
        guard let run else { continue }
        let label = "whole agents \(nodes) nodes, \(Int(run.simulatedSeconds)) s simulated"
        figures.append(Figure(name: "\(label): simulated s per wall s", value: run.simulatedSeconds / wall, unit: "×"))
        figures.append(Figure(name: "\(label): events per wall s", value: Double(run.events) / wall, unit: "ev/s"))
    }
    let seeds = 20
    let wall = measureSeconds {
        for seed in 1...seeds { _ = Scenario.failoverSwarm.run(seed: UInt64(seed)) }
    }
    figures.append(Figure(name: "failover-swarm (240 s each): seeds per wall minute, one core",
                          value: Double(seeds) * 60 / wall, unit: "seeds/min"))
    return figures
}
