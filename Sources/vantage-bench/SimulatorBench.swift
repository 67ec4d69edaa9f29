import Simulator

/// Simulator throughput on the `steady` membership scenario (real SWIM, real envelope codec):
/// simulated seconds per wall second and events per wall second, at 9, 100 and 1,000 nodes.
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
    return figures
}
