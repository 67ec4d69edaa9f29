import Foundation
import Glibc
@testable import Node
import Testing

/// `vantage monitor` and `vantage status` at their edges: what an operator sees when the agent
/// cannot start, and the first line of a dry run.
@Suite(.serialized) struct MonitorCommandTests {
    @Test func aMissingConfigNamesWhereItLookedAndExitsOne() throws {
        let run = try VantageProcess.run(["monitor", "--config", "/nonexistent/vantage.toml"])
        #expect(run.status == 1)
        #expect(run.standardError.contains("/nonexistent/vantage.toml: no such file"))
    }

    @Test func aBrokenConfigIsListedByFileLineAndKey() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("vantage.toml").path
        try "[cluster]\nnode = \"fra\"\ninsecure_no_encryption = true\nstatus_address = \"nowhere\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        let run = try VantageProcess.run(["monitor", "--config", path])
        #expect(run.status == 1)
        #expect(run.standardError.contains("vantage.toml:4:1: cluster.status_address: 'nowhere' is not a numeric address:port"))
        #expect(run.standardError.contains("vantage.toml:1:1: check: no [[check]] entries"))
    }

    @Test func aDryRunSaysSoFirstAndASecondAgentOnTheSameDataDirectoryRefusesToStart() async throws {
        let cluster = try MonitorCluster(agents: ["solo"], endpoints: ["127.0.0.1"])
        defer { cluster.tearDown() }
        try await cluster.start()
        try cluster.config(of: "solo").write(toFile: cluster.configPath(of: "solo"), atomically: true, encoding: .utf8)
        #expect(await eventually(within: 10) { await cluster.get("solo", "/healthz")?.status == 200 })
        // The same config again: same data_dir (and ports), in a dry run.
        let second = try VantageProcess.run(["monitor", "--config", cluster.configPath(of: "solo")])
        #expect(second.status == 1)
        let lines = second.standardError.split(separator: "\n")
        #expect(lines.first?.contains("dry run: DNS is never changed") == true)
        #expect(second.standardError.contains("is in use by another vantage process"))
    }

    @Test func statusArgumentsAreChecked() {
        #expect(throws: UsageError("--address takes HOST:PORT with a numeric host (127.0.0.1:9946), not 'localhost'")) {
            try StatusCommand.parse(["--address", "localhost"])
        }
        #expect(throws: UsageError("option --json takes no value")) { try StatusCommand.parse(["--json=yes"]) }
        #expect((try? StatusCommand.parse(["--json", "--address", "127.0.0.1:1"])) == StatusCommand.Invocation(address: "127.0.0.1:1", json: true))
    }
}
