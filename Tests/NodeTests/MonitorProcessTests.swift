import DemoCLI
import Foundation
import Glibc
import HTTP
import IO
@testable import Node
import Synchronization
import Testing

/// `vantage monitor` end to end: three agents as child processes on loopback, the Cloudflare fake
/// as its own process (validating every request against the published API description when it
/// is there), and endpoints that stop and start. Bounds are generous (seconds, not the
/// simulator's exact figures): these show the processes carry the cores, not how fast.
@Suite(.serialized) struct MonitorProcessTests {
    static let names = ["fra", "iad", "sin"]

    /// Starts the cluster and waits until one agent leads and every endpoint is restored there.
    private func running(_ cluster: MonitorCluster) async throws -> String {
        try await cluster.start()
        let ready = await eventually(within: 20) {
            guard let leader = await cluster.leader(), let report = await cluster.status(of: leader) else { return false }
            return report.endpoints.count == cluster.endpoints.count && report.endpoints.allSatisfy { $0.decision == "restore" }
        }
        guard ready, let leader = await cluster.leader() else {
            throw HarnessError("no leader with every endpoint up: \(cluster.agents.values.map(\.output).joined())")
        }
        return leader
    }

    @Test func anEndpointFailsOverAndBackWithOneSpecValidWriteEachByTheLeader() async throws {
        let cluster = try MonitorCluster(agents: Self.names)
        defer { cluster.tearDown() }
        let leader = try await running(cluster)
        #expect(cluster.writes.isEmpty)

        cluster.endpoints[1].stop()
        #expect(await eventually(within: 10) { !cluster.writes.isEmpty })
        try await Task.sleep(for: .seconds(2))  // room for a duplicate to show up
        let deletes = cluster.writes
        #expect(deletes.count == 1, "\(deletes)")
        // status=200 from a validating fake: the request matched the published description.
        #expect(deletes.first?.contains("request DELETE ") == true && deletes.first?.contains(" status=200 ") == true)
        #expect(deletes.first?.contains("agent=\"vantage (node \(leader))\"") == true)
        #expect(await cluster.zoneAddresses() == ["127.0.0.1", "127.0.0.3"])

        let report = try #require(await cluster.status(of: leader))
        let down = try #require(report.endpoints.first { $0.address == "127.0.0.2" })
        #expect(down.decision == "remove" && down.view?.state == "down" && down.dnsNames == [])
        #expect(down.votes.filter { $0.state == "down" && $0.fresh }.count >= 2)
        #expect(report.dns?.recentChanges.last?.call.hasPrefix("delete www.demo.test A 127.0.0.2") == true)
        #expect(report.dns?.recentChanges.last?.result == "ok")
        let metrics = try #require(await cluster.metrics(of: leader))
        let samples = try ExpositionParser.parse(metrics)
        #expect(samples["vantage_dns_writes_total{operation=\"delete\",result=\"ok\"}"] == 1)
        #expect(samples["vantage_role{role=\"leader\"}"] == 1)

        try cluster.endpoints[1].start()
        #expect(await eventually(within: 10) { cluster.writes.count == 2 })
        try await Task.sleep(for: .seconds(2))
        #expect(cluster.writes.count == 2)
        #expect(cluster.writes.last?.contains("request POST ") == true && cluster.writes.last?.contains(" status=200 ") == true)
        #expect(await cluster.zoneAddresses() == ["127.0.0.1", "127.0.0.2", "127.0.0.3"])
        let after = try #require(await cluster.metrics(of: leader))
        #expect(try ExpositionParser.parse(after)["vantage_dns_writes_total{operation=\"create\",result=\"ok\"}"] == 1)
        if let verdict = try MetricsRegistryTests.promtoolCheck(after) { #expect(verdict.status == 0, "promtool: \(verdict.said)") }
        for name in Self.names where name != leader {
            let follower = try #require(await cluster.metrics(of: name))
            #expect(try ExpositionParser.parse(follower)["vantage_dns_writes_total{operation=\"delete\",result=\"ok\"}"] == nil)
        }

        // No secret in any output: logs, the fake's log, /status, /metrics.
        let everything = await cluster.everyOutput()
        #expect(!everything.contains(cluster.key))
        #expect(!everything.contains(MonitorCluster.token))

        // SIGTERM: every agent exits 0 within 2 s, the leader after handing over.
        for name in Self.names { cluster.agents[name]!.signal(SIGTERM) }
        for name in Self.names {
            let status = await cluster.agents[name]!.waitForExit(within: 2)
            #expect(status == 0, "\(name) exited with \(String(describing: status))")
        }
        #expect(cluster.agents[leader]!.output.contains("handed leadership to"))
    }

    @Test func aDryRunLogsTheDeleteItWouldMakeAndWritesNothing() async throws {
        let cluster = try MonitorCluster(agents: Self.names, dryRun: true)
        defer { cluster.tearDown() }
        let leader = try await running(cluster)
        cluster.endpoints[1].stop()
        let wouldDelete = "dry run: would delete www.demo.test A 127.0.0.2"
        #expect(await eventually(within: 10) { cluster.agents[leader]!.output.contains(wouldDelete) })
        try await Task.sleep(for: .seconds(2))
        #expect(cluster.writes.isEmpty)
        #expect(await cluster.zoneAddresses() == ["127.0.0.1", "127.0.0.2", "127.0.0.3"])
        #expect(cluster.agents[leader]!.output.components(separatedBy: wouldDelete).count == 2)  // once
        for name in Self.names where name != leader { #expect(!cluster.agents[name]!.output.contains("would delete")) }
        let samples = try ExpositionParser.parse(try #require(await cluster.metrics(of: leader)))
        #expect(samples["vantage_dns_writes_total{operation=\"delete\",result=\"dry_run\"}"] == 1)
        #expect(samples["vantage_dry_run"] == 1)
    }

    @Test func afterTheLeaderIsKilledAnotherLeadsAndWritesExactlyOnce() async throws {
        // Alerts go to a webhook that accepts and never answers: nothing else may wait for it.
        let blackHole = try HTTPServer(binding: SocketAddress("127.0.0.1:0")!) { _ in
            try? await Task.sleep(for: .seconds(3_600))
            return .drop
        }
        defer { blackHole.stop() }
        let cluster = try MonitorCluster(agents: Self.names, webhookURL: "http://\(blackHole.address)/never")
        defer { cluster.tearDown() }
        let leader = try await running(cluster)
        cluster.endpoints[0].stop()
        cluster.agents[leader]!.kill()
        let survivors = Self.names.filter { $0 != leader }
        let led = await eventually(within: 15) { await cluster.leader(among: survivors) != nil }
        if !led {
            var said: [String] = []
            for name in survivors {
                let status = await cluster.get(name, "/status").map { String(decoding: $0.body, as: UTF8.self) } ?? "no answer"
                said.append("\(name): \(cluster.agents[name]!.lines.suffix(25).joined(separator: "\n"))\n/status: \(status.prefix(600))")
            }
            Issue.record("no survivor leads with a lease within 15 s:\n\(said.joined(separator: "\n\n"))")
        }
        #expect(await eventually(within: 15) { await cluster.zoneAddresses() == ["127.0.0.2", "127.0.0.3"] })
        try await Task.sleep(for: .seconds(2))
        let deletes = cluster.writes
        #expect(deletes.count == 1, "\(deletes)")
        #expect(await cluster.zoneAddresses() == ["127.0.0.2", "127.0.0.3"])
        let successor = await cluster.leader(among: survivors)
        #expect(successor != nil && successor != leader)
    }

    @Test func whenEveryAddressIsDownTheRecordsStayAndOneAlertGoesOut() async throws {
        let sink = WebhookSink()
        let webhook = try HTTPServer(binding: SocketAddress("127.0.0.1:0")!) { request in
            sink.received(request.body)
            return .respond(HTTPServerResponse(status: 200, text: "ok"))
        }
        defer { webhook.stop() }
        let cluster = try MonitorCluster(agents: Self.names, webhookURL: "http://\(webhook.address)/hooks/secret-path-\(UInt32.random(in: 1 ... .max))")
        defer { cluster.tearDown() }
        _ = try await running(cluster)
        for endpoint in cluster.endpoints { endpoint.stop() }
        #expect(await eventually(within: 10) { sink.bodies.contains { $0.contains("every address of www.demo.test looks down") } })
        try await Task.sleep(for: .seconds(3))
        #expect(sink.bodies.filter { $0.contains("every address of www.demo.test looks down") }.count == 1)
        // The agents see the endpoints fail a few hundred ms apart, so the first ones may be
        // removed; the last is kept (fail open): the name is never emptied.
        let left = try #require(await cluster.zoneAddresses())
        #expect(!left.isEmpty)
        #expect(cluster.writes.count == 3 - left.count)
        // Slack-compatible bodies, and the webhook URL (a secret) in no output.
        #expect(sink.bodies.allSatisfy { $0.hasPrefix("{\"text\":") })
        #expect(!(await cluster.everyOutput()).contains(cluster.webhookURL!))
    }

    @Test func aReloadKeepsABrokenFileOutAndProbesAnAddedCheck() async throws {
        let cluster = try MonitorCluster(agents: ["solo"], endpoints: ["127.0.0.1"])
        defer { cluster.tearDown() }
        try await cluster.start()
        let agent = cluster.agents["solo"]!
        #expect(await eventually(within: 10) { await cluster.status(of: "solo")?.endpoints.first?.view?.state == "up" })

        try (cluster.config(of: "solo") + "\n[cluster]\nnode = \"again\"\n").write(toFile: cluster.configPath(of: "solo"), atomically: true, encoding: .utf8)
        agent.signal(SIGHUP)
        #expect(await eventually(within: 5) { agent.output.contains("config.reload_refused") })
        #expect(agent.output.contains("solo.toml:"))  // the error names the file and line
        #expect(await cluster.status(of: "solo")?.endpoints.count == 1)

        let extra = try LocalEndpoint(ip: "127.0.0.4")
        defer { extra.stop() }
        let check = "\n[[check]]\nname = \"added\"\ntype = \"tcp\"\naddress = \"127.0.0.4\"\nport = \(extra.port)\ninterval = \"500ms\"\ntimeout = \"300ms\"\n"
        try cluster.config(of: "solo", extraChecks: check).write(toFile: cluster.configPath(of: "solo"), atomically: true, encoding: .utf8)
        agent.signal(SIGHUP)
        #expect(await eventually(within: 10) {
            await cluster.status(of: "solo")?.endpoints.first { $0.address == "127.0.0.4" }?.view?.state == "up"
        })
        #expect(await cluster.status(of: "solo")?.endpoints.first { $0.address == "127.0.0.1" }?.view?.state == "up")
        #expect(agent.output.contains("config.reloaded"))
        agent.signal(SIGINT)
        #expect(await agent.waitForExit(within: 2) == 0)
    }
}

/// A webhook receiver that keeps every body.
final class WebhookSink: Sendable {
    private let state = Mutex<[String]>([])
    func received(_ body: [UInt8]) { state.withLock { $0.append(String(decoding: body, as: UTF8.self)) } }
    var bodies: [String] { state.withLock { $0 } }
}
