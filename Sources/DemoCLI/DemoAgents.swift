import Foundation
import Glibc
import Node
import Synchronization

/// The demo's three agents: `vantage monitor --no-dry-run` child processes of this same binary,
/// each with a generated configuration, their JSON log lines turned into timeline events.
/// Children are told the demo's pid (`MonitorCommand.parentVariable`), so they stop when the
/// demo ends, however it ends.
final class DemoAgents: @unchecked Sendable {
    struct Agent {
        let name: String
        let process: Process
        let statusAddress: String
        let configPath: String
    }

    private(set) var agents: [Agent] = []
    private let timeline: DemoTimeline

    init(timeline: DemoTimeline) { self.timeline = timeline }

    /// This executable, which the agents run as.
    static var executable: URL { URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath() }

    /// Starts `name` with the configuration at `configPath`.
    func start(_ name: String, configPath: String, statusAddress: String, directory: URL) throws {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["monitor", "--config", configPath, "--no-dry-run", "--log-format", "json"]
        var environment = ProcessInfo.processInfo.environment
        environment[MonitorCommand.parentVariable] = String(getpid())
        process.environment = environment
        process.currentDirectoryURL = directory
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let timeline = timeline
        let buffer = Mutex<[UInt8]>([])
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            let lines: [String] = buffer.withLock { pending in
                pending += data
                var complete: [String] = []
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    complete.append(String(decoding: pending[..<newline], as: UTF8.self))
                    pending.removeSubrange(...newline)
                }
                return complete
            }
            for line in lines { DemoAgents.report(line, from: name, to: timeline) }
            if data.isEmpty { handle.readabilityHandler = nil }
        }
        try process.run()
        agents.append(Agent(name: name, process: process, statusAddress: statusAddress, configPath: configPath))
    }

    /// SIGTERM to every agent, then up to `seconds` for them to exit; the rest are killed.
    func stop(within seconds: Double = 5) {
        for agent in agents where agent.process.isRunning { kill(agent.process.processIdentifier, SIGTERM) }
        let end = Date().addingTimeInterval(seconds)
        while agents.contains(where: \.process.isRunning), Date() < end { usleep(20_000) }
        for agent in agents where agent.process.isRunning { kill(agent.process.processIdentifier, SIGKILL) }
    }

    var exitStatuses: [String: Int32] {
        Dictionary(uniqueKeysWithValues: agents.map { ($0.name, $0.process.isRunning ? -1 : $0.process.terminationStatus) })
    }

    /// The log events the demo shows, as timeline lines; the rest stay in the agents' logs.
    static func report(_ line: String, from agent: String, to timeline: DemoTimeline) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String],
              let event = object["event"], let message = object["message"] else {
            if !line.isEmpty { timeline.note(agent, line, event: "agent.output") }
            return
        }
        let showing = timeline.showsEndpointEvents.load(ordering: .relaxed)
        switch event {
        case "leader.elected":
            timeline.leader.withLock { $0 = agent }
            timeline.note(agent, message, event: event)
        case "dns.delete", "dns.create", "dns.batch", "dns.failed", "dns.all_down", "leader.stepped_down":
            timeline.note(agent, message, event: event)
        case "endpoint.down", "endpoint.up":
            timeline.note(agent, message.replacingOccurrences(of: " from \(agent)", with: ""), event: event, printed: showing)
        case "endpoint.decision":
            let decision = message.split(separator: ": ").last.map(String.init) ?? "keep"
            let voters = decision == "remove" ? "down at \(object["down"] ?? "")" : "up at \(object["up"] ?? "")"
            let isLeader = timeline.leader.withLock { $0 } == agent
            timeline.note(agent, "tally: \(message) (\(voters))", event: "endpoint.\(decision)",
                          printed: showing && isLeader && decision != "keep")
        default:
            if object["level"] == "error" { timeline.note(agent, "error: \(message)", event: "agent.error") }
        }
    }
}
