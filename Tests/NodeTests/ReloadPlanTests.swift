@testable import Node
import Testing

/// What a SIGHUP applies and what it leaves for a restart.
@Suite struct ReloadPlanTests {
    static func config(node: String = "fra", peers: String = "\"iad@192.0.2.2:7946\"", agree: Int = 1, checkPort: Int = 443,
                       voteInterval: String = "5s", voteTTL: String = "30s", webhook: String? = nil) throws -> VantageConfig {
        try load("""
            [cluster]
            node = "\(node)"
            advertise = "192.0.2.1:7946"
            peers = [\(peers)]
            min_peers_agree = \(agree)
            crypto_key_file = "cluster.key"
            vote_interval = "\(voteInterval)"
            vote_ttl = "\(voteTTL)"

            [[check]]
            type = "tcp"
            address = "192.0.2.80"
            port = \(checkPort)

            [dns]
            zone = "example.com"
            hostnames = ["www.example.com"]
            addresses = ["192.0.2.80"]
            api_token_file = "cf.token"
            \(webhook.map { "\n[notify]\nwebhook_url = \"\($0)\"" } ?? "")
            """).config
    }

    @Test func liveChangesApplyAndNothingIsNamedForRestart() throws {
        let running = try Self.config()
        let plan = ReloadPlan(running: running, loaded: try Self.config(checkPort: 8443, voteInterval: "2s", webhook: "https://hooks.example.com/x"))
        #expect(plan.needsRestart.isEmpty)
        #expect(plan.changes == [.checks, .notify, .voteInterval])
        #expect(plan.effective.checks.first?.port == 8443 && plan.effective.cluster.voteInterval == .seconds(2))
        #expect(ReloadPlan(running: running, loaded: running).changes.isEmpty)
    }

    @Test func restartOnlyChangesAreNamedAndKeptAsTheyRun() throws {
        let running = try Self.config()
        let loaded = try Self.config(node: "ams", peers: "\"iad@192.0.2.2:7946\", \"sin@192.0.2.3:7946\"", agree: 2, checkPort: 80, voteTTL: "60s")
        let plan = ReloadPlan(running: running, loaded: loaded)
        #expect(plan.needsRestart == ["cluster.node", "cluster.peers", "cluster.min_peers_agree", "cluster.vote_ttl"])
        #expect(plan.effective.cluster == running.cluster)
        // The live part of the same file still applies.
        #expect(plan.effective.checks.first?.port == 80 && plan.changes == [.checks])
    }

    @Test func aVoteIntervalNotBelowTheRunningTTLIsNotApplied() throws {
        // Valid in a file that also raises vote_ttl, but vote_ttl needs a restart.
        let plan = ReloadPlan(running: try Self.config(), loaded: try Self.config(voteInterval: "40s", voteTTL: "60s"))
        #expect(plan.effective.cluster.voteInterval == .seconds(5))
        #expect(!plan.changes.contains(.voteInterval))
    }
}
