import IO
@testable import Node
import TOML
import Testing
import Wire

/// A file of goavail's own example's shape (keys, tables and value forms as goavail ships them;
/// values changed).
let goavailExample = """
    failure_threshold = 4
    interval = 3
    ports = [8443, 443]

    [Members]
    peers = ["198.51.100.20:8091"]
    local_addr = "203.0.113.30:8090"
    members_port = 7950
    min_peers_agree = 1
    crypto_key = "another-16-bytes"

    [Cloudflare]
    dns_proxied = true
    dns_domain = "example.net"
    hostnames = ["api"]
    ip_addresses = ["192.0.2.30", "192.0.2.31"]

    [Route53]
    aws_domain = "example.net"
    hostnames = ["api"]
    ip_addresses = ["192.0.2.30"]
    ttl = 60
    aws_zoneid = "Z1111111111111"
    aws_region = "eu-west-1"
    """

/// goavail.toml as goavail read it: every version's keys, `-t ip|tcp` and `-p`.
@Suite struct GoavailConfigTests {
    private func loadGoavail(_ text: String, _ options: GoavailOptions = GoavailOptions(),
                             files: ConfigFiles = testFiles) throws(ConfigErrors) -> ConfigLoader.Loaded {
        let loaded = try load(text, file: "goavail.toml", goavail: options, files: files)
        #expect(loaded.isGoavail)
        return loaded
    }

    /// The errors of `text`, or none when it loads.
    private func errors(_ text: String, _ options: GoavailOptions = GoavailOptions()) -> [String] {
        do {
            _ = try loadGoavail(text, options)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test func theExampleShapeLoadsWithWarningsOnlyAsICMPChecks() throws {
        let loaded = try loadGoavail(goavailExample)
        let config = loaded.config
        #expect(config.checks.map(\.name) == ["icmp 192.0.2.30", "icmp 192.0.2.31"])
        #expect(config.checks.allSatisfy { $0.kind == .icmp && $0.port == nil && $0.interval == .seconds(3) && $0.rise == 5 && $0.fall == 5 })
        #expect(config.cluster.advertise == SocketAddress("203.0.113.30:8090"))
        #expect(config.cluster.bind == config.cluster.advertise)
        #expect(config.cluster.node == "203.0.113.30-8090")
        #expect(config.cluster.peers == [VantageConfig.Peer(name: "198.51.100.20-8091", address: SocketAddress("198.51.100.20:8091")!)])
        #expect(config.cluster.minPeersAgree == 1)
        #expect(config.cluster.encryption == .sealed(primary: VantageConfig.ClusterKey(SecretKey.derived(fromLegacyKey: "another-16-bytes"), from: .goavail), older: []))
        #expect(config.dns?.zone == "example.net")
        #expect(config.dns?.hostnames == ["api.example.net"])
        #expect(config.dns?.addresses == ["192.0.2.30", "192.0.2.31"])
        #expect(config.dns?.proxied == true)
        #expect(config.dns?.credentials == .globalKeyEnvironment(email: "CF_API_EMAIL", key: "CF_API_KEY"))
        let warned = loaded.warnings.map { "\($0.position?.line ?? 0) \($0.key)" }
        #expect(warned == ["1 failure_threshold", "3 ports", "8 Members.members_port", "9 Members.min_peers_agree", "10 Members.crypto_key",
                           "14 Cloudflare.dns_domain", "18 Route53"])
        #expect(loaded.warnings.contains { $0.description == "goavail.toml:18:1: warning: Route53: not used: Vantage has no Route 53 provider yet (goavail read this table only with -p route53)" })
        #expect(loaded.warnings.contains { $0.description.hasPrefix("goavail.toml:3:1: warning: ports: used only with -t tcp") })
    }

    @Test func typeTCPConnectsToEachOfPorts() throws {
        let loaded = try loadGoavail(goavailExample, GoavailOptions(checkType: .tcp))
        #expect(loaded.config.checks.map(\.name) == ["tcp 192.0.2.30:8443", "tcp 192.0.2.30:443", "tcp 192.0.2.31:8443", "tcp 192.0.2.31:443"])
        #expect(loaded.config.checks.allSatisfy { $0.kind == .tcp })
        #expect(!loaded.warnings.contains { $0.key == "ports" })
    }

    @Test(arguments: [("port = 443", [443]), ("ports = [80, 8080]", [80, 8080]), ("port = 80\nports = [8080, 80]", [80, 8080])])
    func portAndPortsBothWorkForTCP(_ lines: String, _ ports: [Int]) throws {
        let text = goavailExample.replacingOccurrences(of: "ports = [8443, 443]", with: lines)
        let checks = try loadGoavail(text, GoavailOptions(checkType: .tcp)).config.checks
        #expect(checks.filter { $0.address == "192.0.2.30" }.map(\.port) == ports)
    }

    @Test func typeTCPWithoutAPortIsOneError() {
        let text = goavailExample.replacingOccurrences(of: "ports = [8443, 443]\n", with: "")
        #expect(errors(text, GoavailOptions(checkType: .tcp)) == ["goavail.toml:1:1: ports: missing: -t tcp connects to each of `ports` (or `port`) on every address"])
        #expect(errors(text).isEmpty)
    }

    @Test func providerRoute53IsRefusedNamingTheTable() {
        #expect(errors(goavailExample, GoavailOptions(provider: .route53))
                == ["goavail.toml:18:1: Route53: -p route53 asks for Route 53, which Vantage cannot write yet; run with -p cloudflare (goavail's default) and a [Cloudflare] table"])
    }

    @Test func localAddrWithoutAPortTakesMembersPortAndSoDoBarePeers() throws {
        let text = goavailExample.replacingOccurrences(of: "\"203.0.113.30:8090\"", with: "\"203.0.113.30\"")
            .replacingOccurrences(of: "\"198.51.100.20:8091\"", with: "\"198.51.100.20\", \"198.51.100.21:8091\"")
        let loaded = try loadGoavail(text)
        #expect(loaded.config.cluster.advertise == SocketAddress("203.0.113.30:7950"))
        #expect(loaded.config.cluster.peers.map(\.address) == [SocketAddress("198.51.100.20:7950")!, SocketAddress("198.51.100.21:8091")!])
        #expect(!loaded.warnings.contains { $0.key == "Members.members_port" })
        let noPort = text.replacingOccurrences(of: "members_port = 7950\n", with: "")
        #expect(try loadGoavail(noPort).config.cluster.advertise == SocketAddress("203.0.113.30:7946"))
    }

    @Test func theIntervalIsWholeSecondsOrADuration() throws {
        let seconds = try loadGoavail(goavailExample).config.checks[0]
        #expect((seconds.interval, seconds.timeout) == (.seconds(3), .milliseconds(800)))
        let text = try loadGoavail(goavailExample.replacingOccurrences(of: "interval = 3", with: "interval = \"500ms\"")).config.checks[0]
        #expect((text.interval, text.timeout) == (.milliseconds(500), .milliseconds(400)))
        #expect(errors(goavailExample.replacingOccurrences(of: "interval = 3", with: "interval = -3"))
                == ["goavail.toml:2:1: interval: expected whole seconds (goavail's form) or a duration (\"5s\"), found -3"])
    }

    @Test func slackAddrBecomesTheWebhook() throws {
        let text = "slack_addr = \"https://hooks.slack.com/services/T1/B1/Z\"\n" + goavailExample
        #expect(try loadGoavail(text).config.notify.webhookURL == "https://hooks.slack.com/services/T1/B1/Z")
    }

    /// goavail's first file: every key at the top level (its `goavail2.toml` shape; values changed).
    @Test func theOldestFlatFormLoads() throws {
        let flat = """
            ip_addresses = ['192.0.2.40', '192.0.2.41']
            failure_threshold = 3
            dns_domain = "example.org"
            hostnames = ["a", "b.example.org"]
            dns_proxied = true
            peers = ["198.51.100.40:8081"]
            local_addr = "203.0.113.40:8082"
            members_port = 7947
            crypto_key = "sixteen-byte-key"
            """
        let loaded = try loadGoavail(flat)
        #expect(loaded.config.checks.map(\.address) == ["192.0.2.40", "192.0.2.41"])
        #expect(loaded.config.dns?.hostnames == ["a.example.org", "b.example.org"])
        #expect(loaded.config.dns?.addresses == ["192.0.2.40", "192.0.2.41"])
        #expect(loaded.config.cluster.peers.map(\.address) == [SocketAddress("198.51.100.40:8081")!])
        #expect(loaded.warnings.map(\.key).contains("members_port"))
    }

    @Test func aSingleNodeFileRunsOneAgentAlone() throws {
        let single = "failure_threshold = 2\n\n[Cloudflare]\ndns_domain = \"example.net\"\nhostnames = [\"www\"]\nip_addresses = [\"192.0.2.50\"]\n"
        let loaded = try loadGoavail(single)
        #expect(loaded.config.cluster.peers.isEmpty)
        #expect(loaded.config.cluster.minPeersAgree == 0)
        #expect(loaded.config.cluster.encryption == .insecure)
        #expect(loaded.warnings.contains { $0.key == "local_addr" && $0.message.contains("single agent") })
    }

    @Test func peersWithoutACryptoKeyOrALocalAddressAreRefused() {
        let noKey = goavailExample.replacingOccurrences(of: "crypto_key = \"another-16-bytes\"\n", with: "")
        #expect(errors(noKey).map { $0.hasPrefix("goavail.toml:5:1: Members.crypto_key: missing: goavail's cluster ran unencrypted") } == [true])
        let noLocal = goavailExample.replacingOccurrences(of: "local_addr = \"203.0.113.30:8090\"\n", with: "")
        #expect(errors(noLocal).map { $0.hasPrefix("goavail.toml:5:1: Members.local_addr: missing") } == [true])
        let badLocal = goavailExample.replacingOccurrences(of: "\"203.0.113.30:8090\"", with: "\"agent.example\"")
        #expect(errors(badLocal) == ["goavail.toml:7:1: Members.local_addr: 'agent.example' is not a numeric IP address or address:port"])
    }

    @Test func unsetCloudflareVariablesAreWarnedAbout() throws {
        let bare = ConfigFiles(read: testFiles.read, environment: ["CF_API_EMAIL": "ops@example.com"])
        let warned = try loadGoavail(goavailExample, files: bare).warnings.map(\.description)
        #expect(warned.contains("goavail.toml:14:1: warning: Cloudflare.dns_domain: environment variable CF_API_KEY is not set here (goavail's Cloudflare credentials)"))
        #expect(!(try loadGoavail(goavailExample).warnings.contains { $0.message.contains("not set here") }))
    }

    /// Every key of every goavail version is mapped or warned about; none is "unknown", while a
    /// misspelt one still is.
    @Test func everyGoavailKeyIsKnown() throws {
        let everything = "slack_addr = \"https://hooks.slack.com/x\"\nport = 80\n" + goavailExample
        for options in [GoavailOptions(), GoavailOptions(checkType: .tcp, provider: .cloudflare)] {
            let loaded = try loadGoavail(everything, options)
            #expect(!loaded.warnings.contains { $0.message.contains("unknown") })
        }
        #expect(errors("failure_treshold = 2\n" + goavailExample) == ["goavail.toml:1:1: failure_treshold: unknown key; did you mean 'failure_threshold'?"])
    }

    @Test func goavailFlagsOnAVantageTomlAreWarnedAboutAndIgnored() throws {
        let vantage = "[cluster]\nnode = \"lab\"\ninsecure_no_encryption = true\n\n[[check]]\ntype = \"icmp\"\naddress = \"127.0.0.1\"\n"
        let loaded = try load(vantage, goavail: GoavailOptions(checkType: .tcp, provider: .route53))
        #expect(!loaded.isGoavail && loaded.config.checks.map(\.kind) == [.icmp])
        #expect(loaded.warnings.map(\.description).filter { $0.contains("applies to a goavail.toml only") }
                == ["vantage.toml: warning: -t/--type applies to a goavail.toml only and is ignored: a vantage.toml sets each [[check]]'s type and the [dns] provider",
                    "vantage.toml: warning: -p/--dns-provider applies to a goavail.toml only and is ignored: a vantage.toml sets each [[check]]'s type and the [dns] provider"])
    }

    @Test func theEquivalentVantageTomlChecksAgainAndExplainsTheKey() throws {
        let rendered = try loadGoavail(goavailExample, GoavailOptions(checkType: .tcp)).config.rendered
        #expect(rendered.contains("api_email_env = \"CF_API_EMAIL\"\napi_key_env = \"CF_API_KEY\""))
        do {
            _ = try load(rendered)
            Issue.record("a redacted key was accepted")
        } catch {
            #expect(error.diagnostics.map(\.key) == ["cluster.crypto_key"])
            #expect(error.diagnostics.first?.message.hasPrefix("<redacted> is how check-config prints an inline secret") == true)
        }
        // With a key file in its place, the printed config is the same configuration.
        let withFile = rendered.replacing(#/crypto_key = "<redacted>".*/#, with: "crypto_key_file = \"cluster.key\"")
        let reloaded = try load(withFile).config
        #expect(reloaded.checks == (try loadGoavail(goavailExample, GoavailOptions(checkType: .tcp)).config.checks))
    }
}
