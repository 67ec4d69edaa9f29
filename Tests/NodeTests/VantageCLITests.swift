import Foundation
import Simulator
@testable import SimulatorCLI
import Testing
@testable import Node
import Wire

@Suite struct VantageCLITests {
    let cli = VantageCLI(adding: [SimulateCommand.self])

    @Test func noArgumentsIsAUsageError() {
        guard case .usageError(let reason, let usage) = cli.resolve([]) else {
            Issue.record("expected a usage error"); return
        }
        #expect(reason == "no command given")
        #expect(usage.contains("simulate"))
    }

    @Test func unknownCommandIsAUsageErrorNamingIt() {
        #expect(cli.resolve(["frobnicate"]) == .usageError(reason: "unknown command 'frobnicate'", usage: cli.usage))
    }

    @Test func topLevelHelpListsEveryCommand() {
        guard case .help(let text) = cli.resolve(["--help"]) else { Issue.record("expected help"); return }
        for command in cli.commands { #expect(text.contains(command.name)) }
    }

    @Test func commandHelpShowsThatCommandsUsage() {
        #expect(cli.resolve(["simulate", "--scenario", "steady", "--help"]) == .help(SimulateCommand.usage))
    }

    @Test func argumentsAfterTheCommandWordAreHandedOver() {
        #expect(cli.resolve(["simulate", "--seed", "3"]) == .run(command: "simulate", arguments: ["--seed", "3"]))
        #expect(cli.resolve(["--version"]) == .run(command: "version", arguments: []))
    }

    @Test func usageErrorsExitTwoAndSuccessExitsZero() async {
        #expect(await cli.run(["version", "extra"]) == 2)
        #expect(await cli.run(["simulate", "--bogus"]) == 2)
        #expect(await cli.run(["version"]) == 0)
    }

    @Test func versionNamesTheWireProtocol() {
        #expect(VersionCommand.line.hasSuffix("(wire protocol \(SealedFrame.version))"))
    }

    @Test func keygenPrintsAFreshKeyThatParses() async throws {
        let first = try VantageProcess.run(["keygen"]), second = try VantageProcess.run(["keygen"])
        #expect(first.status == 0 && first.standardError.isEmpty)
        #expect(first.standardOutput.hasSuffix("\n") && first.standardOutput.filter { $0 == "\n" }.count == 1)
        let key = try SecretKey(base64: first.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(try SecretKey(base64: second.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)) != key)
        #expect(await cli.run(["keygen", "now"]) == 2)
    }

    /// Every out-of-range option exits 2 and names the option and its range.
    @Test(arguments: [
        (["--seeds", "0"], "option --seeds must be from 1 to 1000000, got 0"),
        (["--seeds", "-3"], "option --seeds must be from 1 to 1000000, got -3"),
        (["--nodes", "0"], "option --nodes must be from 1 to 1000, got 0"),
        (["--loss", "2"], "option --loss must be from 0 to 1, got 2"),
        (["--loss", "-0.5"], "option --loss must be from 0 to 1, got -0.5"),
        (["--loss=often"], "option --loss expects a number from 0 to 1, got 'often'"),
    ])
    func simulateRefusesOutOfRangeOptions(_ options: [String], _ message: String) throws {
        #expect(throws: UsageError(message)) { try SimulateCommand.parse(["--scenario", "steady"] + options) }
        let run = try VantageProcess.run(["simulate", "--scenario", "steady"] + options)
        #expect(run.status == 2)
        #expect(run.standardError.hasPrefix("vantage simulate: \(message)\n"))
        #expect(run.standardOutput.isEmpty)
    }

    /// A scenario that cannot do what it measures on so few nodes refuses the size (exit 2, naming
    /// the minimum) instead of reporting a capped figure as a success.
    @Test func simulateRefusesAClusterTooSmallForTheScenario() throws {
        let message = "--nodes 1: scenario leader-crash needs at least 3 nodes"
        #expect(throws: UsageError(message)) { try SimulateCommand.parse(["--scenario", "leader-crash", "--nodes", "1"]) }
        let run = try VantageProcess.run(["simulate", "--scenario", "leader-crash", "--nodes", "1"])
        #expect(run.status == 2)
        #expect(run.standardError.hasPrefix("vantage simulate: \(message)\n"))
        #expect(run.standardOutput.isEmpty)
        #expect(try SimulateCommand.parse(["--scenario", "leader-crash", "--nodes", "3"]).options.nodes == 3)
    }

    /// No new leader within the scenario's time is a liveness failure: exit 1 with the replay line.
    @Test func simulateFailsWhenNoNewLeaderIsElected() throws {
        // 100 ms after the crash no node can have a lease yet (followers refuse votes for 1.5 s).
        let run = try VantageProcess.run(["simulate", "--scenario", "leader-crash", "--seed", "3", "--duration", "100ms"])
        #expect(run.status == 1)
        #expect(run.standardOutput.contains("no_new_leader"))
        #expect(!run.standardOutput.contains("election_s_max"), "no capped figure is reported")
        #expect(run.standardError.contains("seed 3: liveness failure (no_new_leader)\nreplay: vantage simulate --scenario leader-crash --seed 3 --duration 100ms"))
    }

    @Test func simulateHelpKeepsColumnsApartAndStatesEachScenariosNodes() throws {
        let lines = SimulateCommand.usage.components(separatedBy: "\n")
        let rows = lines.drop { !$0.hasPrefix("scenarios") }.dropFirst()
        #expect(rows.count == Scenario.all.count)
        for (row, scenario) in zip(rows, Scenario.all) {
            #expect(row.hasPrefix("  \(scenario.name)  "), "\(row)")
            #expect(row.contains(" \(scenario.defaultNodes) nodes "), "\(row)")
        }
        #expect(!SimulateCommand.usage.contains("default 9"))
    }

    @Test func checkDeterminismPrintsBothHashes() throws {
        let run = try VantageProcess.run(["simulate", "--scenario", "leader-crash", "--seed", "3", "--duration", "5s", "--check-determinism"])
        #expect(run.status == 0)
        let line = try #require(run.standardOutput.components(separatedBy: "\n").first { $0.hasPrefix("seed 3: trace hashes ") })
        let hashes = line.split(separator: " ").filter { $0.count == 16 && $0.allSatisfy(\.isHexDigit) }
        #expect(hashes.count == 2 && hashes[0] == hashes[1] && line.hasSuffix("(identical)"), "\(line)")
    }

    @Test func benchHelpAndUnknownSuitesPrintUsage() throws {
        let bench = VantageProcess.executable.deletingLastPathComponent().appendingPathComponent("vantage-bench")
        let help = try VantageProcess.run(["--help"], executable: bench)
        #expect(help.status == 0 && help.standardOutput.hasPrefix("usage: vantage-bench [SUITE...]"))
        let unknown = try VantageProcess.run(["nosuch"], executable: bench)
        #expect(unknown.status == 2)
        #expect(unknown.standardError.hasPrefix("vantage-bench: unknown suite 'nosuch'\n\nusage: vantage-bench"))
    }
}
