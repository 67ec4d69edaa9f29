import Foundation
import Glibc
import IO
import Testing

/// `vantage demo` as a newcomer runs it: a child process of this build, which must fail over and
/// back, exit 0, and leave no agent process behind however it ends.
@Suite(.serialized) struct DemoCommandTests {
    /// Agent processes started by the demo with process id `pid` (their configs live in its directory).
    private func agents(of pid: Int32) -> [String] {
        let ps = Process()
        ps.executableURL = URL(fileURLWithPath: "/usr/bin/pgrep")
        ps.arguments = ["-f", "vantage-demo-\(pid)/"]
        let output = Pipe()
        ps.standardOutput = output
        try? ps.run()
        ps.waitUntilExit()
        return String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test func theDemoFailsAnEndpointOverAndBackAndExitsZero() async throws {
        let started = ContinuousClock.now
        let run = try VantageProcess.run(["demo"])
        let elapsed = ContinuousClock.now - started
        #expect(run.status == 0, "\(run.standardOutput)\(run.standardError)")
        #expect(elapsed < .seconds(40))
        let output = run.standardOutput
        #expect(output.contains("after stop    127.0.0.1, 127.0.0.3"))
        #expect(output.contains("after start   127.0.0.1, 127.0.0.2, 127.0.0.3"))
        #expect(output.contains("API writes: 2"))
        #expect(output.contains("every agent exited 0"))
        #expect(output.components(separatedBy: "record deleted").count == 2)
    }

    @Test func aBusyPortIsNamedAndAnotherChosen() throws {
        // Hold fra's preferred cluster port (UDP 17946) and status port (TCP 19946) if free.
        let udp = try? UDPSocket(binding: SocketAddress("127.0.0.1:17946")!)
        let tcp = try? TCPListener(binding: SocketAddress("127.0.0.1:19946")!)
        defer { tcp?.close() }
        let run = try VantageProcess.run(["demo"])
        _ = udp
        #expect(run.status == 0, "\(run.standardOutput)")
        #expect(run.standardOutput.contains("port 17946 (fra's cluster port) is busy; using "))
        #expect(run.standardOutput.contains("port 19946 (fra's status port) is busy; using "))
    }

    /// `vantage demo --keep-running`, once its three agents run after the failover and back.
    private func keptDemo() async throws -> ChildProcess {
        let child = try ChildProcess(VantageProcess.executable, ["demo", "--keep-running"],
                                     log: FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString).log").path)
        #expect(await eventually(within: 40) { child.output.contains("Ctrl-C stops every agent") })
        #expect(agents(of: child.process.processIdentifier).count == 3)
        return child
    }

    @Test func interruptingAKeptClusterStopsEveryAgent() async throws {
        let child = try await keptDemo()
        defer { child.kill() }
        #expect(child.output.contains("vantage status --address 127.0.0.1:"))
        child.signal(SIGINT)
        #expect(await child.waitForExit(within: 10) == 0)
        #expect(agents(of: child.process.processIdentifier).isEmpty)
    }

    @Test func killingTheDemoLeavesNoOrphanedAgents() async throws {
        let child = try await keptDemo()
        defer { child.kill() }
        let pid = child.process.processIdentifier
        child.kill()
        #expect(await eventually(within: 5) { agents(of: pid).isEmpty })
    }
}
