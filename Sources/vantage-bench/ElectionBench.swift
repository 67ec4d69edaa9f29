import Simulator

/// The election figures of issue 4, from the same scenarios `vantage simulate` runs: failover
/// latency and split-vote rounds over 10⁴ leader crashes, leader availability under the partial
/// partition, and how many swarm seeds one core checks per wall minute.
var electionSuite: BenchmarkSuite {
    BenchmarkSuite(name: "election", run: runElectionBenchmarks)
}

private func runElectionBenchmarks() -> [Figure] {
    var figures: [Figure] = []

    var crashes: [ScenarioRun] = []
    let crashWall = measureSeconds {
        crashes = (1...10_000 as ClosedRange<UInt64>).map { Scenario.leaderCrash.run(seed: $0) }
    }
    let crash = ScenarioReport(scenario: "leader-crash", nodes: 3, runs: crashes, wallSeconds: crashWall)
    for name in ["election_s_p50", "election_s_p99", "election_s_max"] {
        figures.append(Figure(name: "leader-crash 10⁴ seeds: \(name)", value: crash.metrics[name] ?? .nan, unit: "s",
                              note: name == "election_s_p50" ? "goal ≤ 2.5 s" : name == "election_s_p99" ? "goal ≤ 6 s" : ""))
    }
    figures.append(Figure(name: "leader-crash 10⁴ seeds: split_vote_rounds_max", value: crash.metrics["split_vote_rounds_max"] ?? .nan,
                          unit: "rounds"))
    figures.append(Figure(name: "leader-crash 10⁴ seeds: violations", value: Double(crash.violations.count), unit: ""))

    let partial = (1...20 as ClosedRange<UInt64>).map { Scenario.partialPartition.run(seed: $0) }
    let availability = partial.flatMap(\.measurements).filter { $0.name == "leader_availability" }.map(\.value)
    figures.append(Figure(name: "partial-partition 20 seeds: leader availability (worst seed)",
                          value: (availability.min() ?? .nan) * 100, unit: "%", note: "goal ≥ 99 %"))
    figures.append(Figure(name: "partial-partition 20 seeds: leader availability (mean)",
                          value: availability.reduce(0, +) / Double(max(availability.count, 1)) * 100, unit: "%"))

    var swarm: [ScenarioRun] = []
    let swarmWall = measureSeconds {
        swarm = (1...500 as ClosedRange<UInt64>).map { Scenario.electionSwarm.run(seed: $0) }
    }
    figures.append(Figure(name: "election-swarm (5 nodes, default duration): seeds per wall minute, one core",
                          value: Double(swarm.count) / swarmWall * 60, unit: "seeds/min"))
    figures.append(Figure(name: "election-swarm 500 seeds: violations", value: Double(swarm.filter { $0.violation != nil }.count),
                          unit: ""))
    return figures
}
