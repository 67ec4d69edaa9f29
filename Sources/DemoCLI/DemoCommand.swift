import CloudflareFake
import Foundation
import HTTP
import IO
import Node
import SansIO
import Wire

/// `vantage demo`: the newcomer's first command. Three agents (`vantage monitor --no-dry-run`
/// child processes with generated configs and key) on loopback, three local endpoints, and the
/// Cloudflare API fake in this process holding `www.demo.test`. It waits for a leader, stops one
/// endpoint, shows each agent's detection, the leader's tally and its single delete, starts the
/// endpoint again and shows the record return, then prints the zone and a summary and exits 0.
/// No root, no credentials, no config file, nothing outside the repository.
public enum DemoCommand: Command {
    public static let name = "demo"
    public static let summary = "watch three local agents fail an endpoint over and back (no root, no credentials)"
    public static let usage = """
        usage: vantage demo [--keep-running]

          --keep-running   leave the cluster up afterwards, print its /status URLs and a
                           `vantage status` line to try; Ctrl-C stops every agent

        Runs three agents on 127.0.0.1 as `vantage monitor --no-dry-run` processes, with checks every
        500ms (down after 3 failures, up after 2 successes; the defaults are 1s, 3 and 2), against a
        local Cloudflare API fake holding demo.test. Finishes in about 15 seconds; exit 0 when the
        endpoint's record was removed exactly once and restored exactly once.
        """

    static let zone = "demo.test"
    static let hostname = "www.demo.test"
    static let names = ["fra", "iad", "sin"]
    static let endpointIPs = ["127.0.0.1", "127.0.0.2", "127.0.0.3"]

    public static func run(_ arguments: [String]) async throws -> Int32 {
        var keepRunning = false
        for argument in arguments {
            guard argument == "--keep-running" else { throw UsageError("unknown option \(argument)") }
            keepRunning = true
        }
        let watcher = SignalWatcher()
        let timeline = DemoTimeline()
        let demo = try DemoSetup(timeline: timeline)
        defer { demo.tearDown() }
        timeline.say("""
            vantage demo: three agents on loopback vote an endpoint out of DNS and back in.
              zone \(zone) on a local Cloudflare API fake; \(hostname) -> \(endpointIPs.joined(separator: ", "))
              checks every 500ms; down after 3 failures (1.5 s), up after 2 successes (shortened from 1s/3/2)
              agents: \(names.joined(separator: ", ")) (vantage monitor --no-dry-run), files in \(demo.directory.path)

            """)
        try await demo.start()
        timeline.note("demo", "started \(names.count) agents; waiting for a leader")
        guard await waitFor(15, { timeline.first("leader.elected") != nil }), let leader = timeline.leader.withLock({ $0 }) else {
            return demo.fail("no leader after 15 s; the agents' logs are in \(demo.directory.path)")
        }
        let ready = await waitFor(15) { endpointIPs.allSatisfy { ip in timeline.all("endpoint.restore").contains { $0.source == leader && $0.text.contains(ip + ":") } } }
        guard ready else { return demo.fail("the endpoints did not come up at \(leader) within 15 s") }
        let before = await demo.zone()
        timeline.note("demo", "every endpoint is up and in DNS: \(before.joined(separator: ", "))")

        let victim = demo.endpoints[1]
        timeline.showsEndpointEvents.store(true, ordering: .relaxed)
        let stopped = timeline.elapsed
        victim.stop()
        timeline.note("demo", "stopped endpoint \(victim.ip) (its port now refuses connections)", event: "demo.stop")
        guard await waitFor(10, { timeline.first("api.write", after: stopped) != nil }) else {
            return demo.fail("no delete within 10 s of stopping \(victim.ip)")
        }
        try await Task.sleep(for: .seconds(1))
        let during = await demo.zone()
        let started = timeline.elapsed
        try victim.start()
        timeline.note("demo", "started endpoint \(victim.ip) again", event: "demo.start")
        guard await waitFor(10, { timeline.first("api.write", after: started) != nil }) else {
            return demo.fail("no create within 10 s of starting \(victim.ip)")
        }
        try await Task.sleep(for: .seconds(1))
        let after = await demo.zone()
        let writes = timeline.all("api.write")
        summarize(timeline, before: before, during: during, after: after, stopped: stopped, started: started, victim: victim.ip)
        let succeeded = writes.count == 2 && !during.contains(victim.ip) && after.contains(victim.ip)
        if keepRunning {
            timeline.say("""

                The cluster keeps running. Try:
                \(demo.statusAddresses.map { "  curl http://\($0)/status" }.joined(separator: "\n"))
                  vantage status --address \(demo.statusAddresses[0])
                  curl http://\(demo.statusAddresses[0])/metrics
                Ctrl-C stops every agent.
                """)
            for await signal in watcher.signals where signal != .hangUp { break }
        }
        timeline.note("demo", "stopping the agents (SIGTERM: the leader hands over, each leaves the cluster)")
        demo.agents.stop()
        let statuses = demo.agents.exitStatuses
        let clean = statuses.values.allSatisfy { $0 == 0 }
        timeline.note("demo", clean ? "every agent exited 0" : "agent exit statuses: \(statuses.sorted { $0.key < $1.key })")
        guard succeeded, clean else { return demo.fail("expected one delete and one create and a clean stop; saw \(writes.count) writes") }
        return 0
    }

    /// Polls `condition` every 50 ms for up to `seconds`.
    static func waitFor(_ seconds: Double, _ condition: () -> Bool) async -> Bool {
        let end = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < end {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }

    static func summarize(_ timeline: DemoTimeline, before: [String], during: [String], after: [String],
                          stopped: Duration, started: Duration, victim: String) {
        func time(_ entry: DemoTimeline.Entry?, since: Duration) -> String {
            entry.map { String(format: "+%.2fs", ($0.offset - since).seconds) } ?? "-"
        }
        var lines = ["", "zone \(zone), \(hostname) A:",
                     "  before        \(before.joined(separator: ", "))",
                     "  after stop    \(during.joined(separator: ", "))",
                     "  after start   \(after.joined(separator: ", "))",
                     "", "\(victim) stopped at +\(String(format: "%.2f", stopped.seconds))s; seen down (after fall = 3 failed checks):"]
        for name in names {
            let seen = timeline.all("endpoint.down", after: stopped).first { $0.source == name }
            lines.append("  \(name)          \(time(seen, since: stopped))")
        }
        lines.append("  tally remove  \(time(timeline.first("endpoint.remove", from: timeline.leader.withLock { $0 }, after: stopped), since: stopped))")
        lines.append("  DNS delete    \(time(timeline.first("api.write", after: stopped), since: stopped))  (failover time)")
        lines.append("\(victim) started at +\(String(format: "%.2f", started.seconds))s:")
        lines.append("  DNS create    \(time(timeline.first("api.write", after: started), since: started))  (recovery time)")
        lines.append("API writes: \(timeline.all("api.write").count) (one delete, one create, both by the leader)")
        timeline.say(lines.joined(separator: "\n"))
    }
}
