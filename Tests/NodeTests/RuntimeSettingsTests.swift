import Failover
@testable import Node
import Testing
import Wire

/// A configuration as the runtime runs it: the failover core's settings and the cluster's keys.
@Suite struct RuntimeSettingsTests {
    @Test func checksVotersAndTheTargetReachTheFailoverCore() throws {
        let config = try load("""
            [cluster]
            node = "fra"
            advertise = "192.0.2.1:7946"
            peers = ["sin@192.0.2.3:7946", "iad@192.0.2.2:7946"]
            crypto_key_file = "cluster.key"
            vote_interval = "2s"
            vote_ttl = "20s"
            reconcile_interval = "45s"

            [[check]]
            name = "www"
            type = "tcp"
            address = "2001:DB8::80"
            port = 443
            rise = 4
            fall = 5

            [dns]
            zone = "example.com"
            hostnames = ["WWW.example.com"]
            addresses = ["2001:db8::80"]
            ttl = 120
            api_token_file = "cf.token"
            """).config
        let settings = config.failoverSettings(dryRun: true, providerSupportsBatch: false)
        #expect(settings.myself == "fra" && settings.voters == ["fra", "iad", "sin"])
        #expect(settings.checks == [LocalViews.Check(id: "www", address: "2001:db8::80", rise: 4, fall: 5)])
        #expect(settings.minPeersAgree == 1 && settings.voteInterval == .seconds(2) && settings.voteTTL == .seconds(20))
        #expect(settings.reconcileInterval == .seconds(45) && settings.dryRun && !settings.providerSupportsBatch)
        #expect(settings.dns == DNSTarget(hostnames: ["www.example.com"], pool: ["2001:db8::80"], proxied: false, ttl: 120))
        guard case .sealed(let keyring) = try config.clusterSecurity() else {
            Issue.record("a config with a key must seal")
            return
        }
        #expect(keyring.primary == testKey)
        #expect(config.membershipIdentity.myself.address == "192.0.2.1:7946")
        #expect(config.membershipIdentity.seeds.map(\.name) == ["sin", "iad"])
    }
}
