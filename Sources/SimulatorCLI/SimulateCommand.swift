import Foundation
import Node
import Simulator

/// `vantage simulate`: runs a deterministic simulation scenario over one or many seeds.
///
/// Seeds run in parallel (each simulation is single-threaded and independent); the wall time is
/// measured here, never inside the engine. Any invariant violation exits 1 and prints the one
/// command that replays the failing seed.
public enum SimulateCommand: Command {
    public static let name = "simulate"
    public static let summary = "run a deterministic cluster simulation scenario"
    /// The accepted ranges, named in the usage and in every refusal.
    static let nodeRange = 1...1_000
    static let seedCountRange = 1...1_000_000
    static let lossRange = 0.0...1.0

    public static var usage: String {
        let width = Scenario.all.map(\.name.count).max() ?? 0
        let scenarios = Scenario.all.map { scenario in
            let nodes = "\(scenario.defaultNodes) nodes".padding(toLength: 10, withPad: " ", startingAt: 0)
            return "  \(scenario.name.padding(toLength: width + 2, withPad: " ", startingAt: 0))\(nodes)\(scenario.summary)"
        }
        return """
        usage: vantage simulate --scenario NAME [--nodes N] [--seed S | --seeds K] [--duration D]
                                [--loss P] [--json] [--check-determinism]

          --scenario NAME       one of the scenarios below
          --nodes N             cluster size, \(nodeRange.lowerBound)...\(nodeRange.upperBound), in 3 regions (default per scenario, below)
          --seed S              run exactly this seed
          --seeds K             run seeds 1...K, K from \(seedCountRange.lowerBound) to \(seedCountRange.upperBound) (default 1)
          --duration D          simulated time per seed: 90s, 10m, 1h, 250ms (default per scenario)
          --loss P              uniform datagram loss, 0...1 (default per scenario)
          --json                print one JSON object instead of a summary
          --check-determinism   run every seed twice, print both trace hashes, fail if they differ

        scenarios (default nodes):
        \(scenarios.joined(separator: "\n"))
        """
    }

    struct Invocation {
        var scenario: Scenario
        var options = ScenarioOptions()
        var seeds: [UInt64] = [1]
        var json = false
        var checkDeterminism = false

        /// The command line that replays `seed` with the same options.
        func replay(seed: UInt64) -> String {
            var words = ["vantage", "simulate", "--scenario", scenario.name, "--seed", String(seed)]
            if let nodes = options.nodes { words += ["--nodes", String(nodes)] }
            if let duration = options.duration { words += ["--duration", "\(duration.nanoseconds / 1_000_000)ms"] }
            if let loss = options.loss { words += ["--loss", String(loss)] }
            return words.joined(separator: " ")
        }
    }

    static func parse(_ arguments: [String]) throws(UsageError) -> Invocation {
        var cursor = ArgumentCursor(arguments)
        var scenario: Scenario?
        var options = ScenarioOptions()
        var seed: UInt64?, seedCount: Int?
        var json = false, checkDeterminism = false
        while let item = cursor.next() {
            switch item {
            case .positional(let argument): throw ArgumentCursor.unexpected(argument)
            case .option(let name, let attached):
                switch name {
                case "scenario":
                    scenario = try cursor.value(for: name, attached: attached,
                                                expected: "one of \(Scenario.all.map(\.name).joined(separator: ", "))",
                                                Scenario.named)
                case "nodes": options.nodes = try cursor.integer(for: name, attached: attached, in: nodeRange)
                case "seed":
                    let value: UInt64 = try cursor.value(for: name, attached: attached, expected: "an unsigned integer") { UInt64($0) }
                    seed = value
                case "seeds": seedCount = try cursor.integer(for: name, attached: attached, in: seedCountRange)
                case "duration":
                    let duration: Duration = try cursor.value(for: name, attached: attached,
                                                              expected: "a duration such as 90s, 10m, 1h", DurationText.parse)
                    options.duration = duration
                case "loss": options.loss = try cursor.number(for: name, attached: attached, in: lossRange)
                case "json", "check-determinism":
                    guard attached == nil else { throw ArgumentCursor.flagWithValue(name) }
                    if name == "json" { json = true } else { checkDeterminism = true }
                default: throw ArgumentCursor.unknown(name)
                }
            }
        }
        guard let scenario else { throw UsageError("option --scenario is required") }
        if let nodes = options.nodes, nodes < scenario.minimumNodes {
            throw UsageError("--nodes \(nodes): scenario \(scenario.name) needs at least \(scenario.minimumNodes) nodes")
        }
        if seed != nil, seedCount != nil { throw UsageError("give either --seed or --seeds, not both") }
        let seeds = seed.map { [$0] } ?? (1...UInt64(seedCount ?? 1)).map { $0 }
        return Invocation(scenario: scenario, options: options, seeds: seeds, json: json,
                          checkDeterminism: checkDeterminism)
    }

    public static func run(_ arguments: [String]) async throws -> Int32 {
        let invocation = try parse(arguments)
        let start = ContinuousClock.now
        let runs = await runSeeds(invocation, repetitions: invocation.checkDeterminism ? 2 : 1)
        let elapsed = ContinuousClock.now - start
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let firstRuns = runs.map { $0[0] }
        let settings = invocation.scenario.settings(invocation.options)
        let report = ScenarioReport(scenario: invocation.scenario.name, nodes: settings.nodes, runs: firstRuns,
                                    wallSeconds: wall)
        var failures: [String] = []
        var determinism: [String] = []
        for pair in runs where invocation.checkDeterminism {
            let same = pair[0].traceHash == pair[1].traceHash
            let line = String(format: "seed %llu: trace hashes %016llx and %016llx", pair[0].seed, pair[0].traceHash, pair[1].traceHash)
            determinism.append("\(line) (\(same ? "identical" : "DIFFERENT"))")
            if !same { failures.append("seed \(pair[0].seed) is not deterministic\nreplay: \(invocation.replay(seed: pair[0].seed)) --check-determinism") }
        }
        for run in firstRuns { if run.violation != nil { failures.append("replay: \(invocation.replay(seed: run.seed))") } }
        for run in firstRuns {
            let missed = invocation.scenario.livenessFailures(of: run)
            guard !missed.isEmpty else { continue }
            failures.append("seed \(run.seed): liveness failure (\(missed.joined(separator: ", ")))\nreplay: \(invocation.replay(seed: run.seed))")
        }
        if invocation.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            for line in determinism { FileHandle.standardError.write(Data((line + "\n").utf8)) }
        } else {
            print(summary(report))
            if !determinism.isEmpty { print("determinism (each seed run twice):\n" + determinism.joined(separator: "\n")) }
        }
        for failure in failures { FileHandle.standardError.write(Data((failure + "\n").utf8)) }
        return failures.isEmpty ? 0 : 1
    }

    /// Runs every seed `repetitions` times, in parallel across seeds; results in seed order.
    static func runSeeds(_ invocation: Invocation, repetitions: Int) async -> [[ScenarioRun]] {
        let scenario = invocation.scenario, options = invocation.options
        let width = max(1, ProcessInfo.processInfo.activeProcessorCount)
        return await withTaskGroup(of: (Int, [ScenarioRun]).self) { group in
            var results = [[ScenarioRun]](repeating: [], count: invocation.seeds.count)
            var next = 0
            func launch() {
                guard next < invocation.seeds.count else { return }
                let index = next, seed = invocation.seeds[index]
                next += 1
                group.addTask { (index, (0..<repetitions).map { _ in scenario.run(seed: seed, options: options) }) }
            }
            for _ in 0..<width { launch() }
            while let (index, runs) = await group.next() {
                results[index] = runs
                launch()
            }
            return results
        }
    }

    static func summary(_ report: ScenarioReport) -> String {
        var lines = [
            "scenario \(report.scenario): \(report.nodes) nodes, \(report.seeds) seed(s)",
            String(format: "simulated %.1f s in %.2f s wall (%.0f×), %d events",
                   report.simulatedSeconds, report.wallSeconds, report.speedup, report.events),
        ]
        if let hash = report.traceHash { lines.append("trace hash \(hash)") }
        for (name, value) in report.metrics.sorted(by: { $0.key < $1.key }) {
            lines.append(String(format: "  %-36@ %.3f", name as NSString, value))
        }
        lines.append(report.violations.isEmpty ? "no invariant violations"
                                               : "\(report.violations.count) violation(s):\n" + report.violations.joined(separator: "\n"))
        return lines.joined(separator: "\n")
    }
}
