import Testing
@testable import Simulator

/// Runs a scenario over many seeds for the scenario tests; seeds run as parallel tasks (each
/// simulation is single-threaded and shares nothing), results come back in seed order.
enum ScenarioRuns {
    static func run(_ scenario: Scenario, seeds: ClosedRange<UInt64>, options: ScenarioOptions = ScenarioOptions())
        async -> [ScenarioRun]
    {
        await withTaskGroup(of: ScenarioRun.self) { group in
            for seed in seeds { group.addTask { scenario.run(seed: seed, options: options) } }
            var runs: [ScenarioRun] = []
            for await run in group { runs.append(run) }
            return runs.sorted { $0.seed < $1.seed }
        }
    }

    /// An aggregated metric (`election_s_p99`, `false_dead`...) over `runs`.
    static func metric(_ runs: [ScenarioRun], _ name: String) -> Double {
        ScenarioReport(scenario: "", nodes: 0, runs: runs, wallSeconds: 0).metrics[name] ?? .nan
    }

    static func expectNoViolations(_ runs: [ScenarioRun], sourceLocation: SourceLocation = #_sourceLocation) {
        for run in runs {
            #expect(run.violation == nil, "seed \(run.seed): \(run.violation.map(String.init(describing:)) ?? "")",
                    sourceLocation: sourceLocation)
        }
    }
}
