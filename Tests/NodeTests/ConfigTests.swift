import IO
import Foundation
@testable import Node
import TOML
import Testing
import Wire

/// Files and environment for configs under test: every key file holds `ConfigTests.key`.
private let key = SecretKey.generate()
private let files = ConfigFiles(read: { path in
    path.hasSuffix(".key") || path.hasSuffix(".old") ? key.base64EncodedString : (path.hasSuffix(".token") ? "token" : nil)
}, environment: ["CLOUDFLARE_API_TOKEN": "t"])

private func load(_ text: String, file: String = "vantage.toml") throws(ConfigErrors) -> ConfigLoader.Loaded {
    try ConfigLoader.load(text: text, file: file, files: files)
}

/// The `toml` code blocks of README.md, which must be valid configurations.
private func readmeExamples() throws -> [String] {
    let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md")
    let text = try String(contentsOf: readme, encoding: .utf8)
    return text.components(separatedBy: "```toml\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
}

private let minimal = """
    [cluster]
    node = "fra-1"
    peers = ["iad-1@198.51.100.7:7946", "sin-1@192.0.2.44:7946"]
    crypto_key_file = "cluster.key"

    [[check]]
    type = "tcp"
    address = "203.0.113.80"
    port = 443

    [dns]
    zone = "example.com"
    hostnames = ["www.example.com"]
    addresses = ["203.0.113.80"]
    api_token_env = "CLOUDFLARE_API_TOKEN"
    """

@Suite struct ConfigTests {
    @Test func theReadmeExamplesAreValid() throws {
        let examples = try readmeExamples()
        #expect(examples.count >= 2)
        for example in examples {
            do {
                let loaded = try load(example, file: "README.md")
                #expect(!loaded.config.checks.isEmpty)
            } catch {
                Issue.record("README example rejected:\n\(error)")
            }
        }
    }

    @Test func defaultsAreDesignMdsAndSecretsNeverRender() throws {
        let config = try load(minimal).config
        #expect(config.cluster.name == "vantage")
        #expect(config.cluster.bind == SocketAddress("0.0.0.0:7946"))
        #expect(config.cluster.advertise == config.cluster.bind)
        #expect(config.cluster.minPeersAgree == 1)
        #expect(config.cluster.voteTTL == .seconds(30))
        #expect(config.cluster.encryption == .sealed(primary: key, older: [], source: .file("cluster.key")))
        let check = try #require(config.checks.first)
        #expect((check.interval, check.timeout, check.rise, check.fall) == (.seconds(1), .milliseconds(800), 2, 3))
        #expect(check.name == "tcp 203.0.113.80:443")
        #expect(config.dns?.ttl == 60)
        #expect(config.dns?.credentials == .tokenEnvironment("CLOUDFLARE_API_TOKEN"))
        #expect(!config.rendered.contains(key.base64EncodedString))
        // The rendering is itself a valid config that means the same.
        #expect(try load(config.rendered).config == config)
    }

    @Test func anInlineKeyIsRedactedWhenRendered() throws {
        let text = minimal.replacingOccurrences(of: "crypto_key_file = \"cluster.key\"", with: "crypto_key = \"\(key.base64EncodedString)\"")
        let config = try load(text).config
        #expect(config.rendered.contains("crypto_key = \"<redacted>\""))
        #expect(!config.rendered.contains(key.base64EncodedString))
    }

    @Test func anUnchangedGoavailTomlMapsToTheSameModel() throws {
        let goavail = """
            ip_addresses = ["203.0.113.80", "203.0.113.81"]
            failure_threshold = 2
            interval = "5s"
            port = 443
            slack_addr = "https://hooks.slack.com/services/T000/B000/XXXX"

            [Members]
            peers = ["198.51.100.7", "192.0.2.44:7000"]
            local_addr = "203.0.113.10"
            members_port = 7946
            min_peers_agree = 1
            crypto_key = "0123456789abcdef"

            [Cloudflare]
            dns_domain = "example.com"
            hostnames = ["www", "api.example.com"]
            ip_addresses = ["203.0.113.80", "203.0.113.81"]
            dns_proxied = true
            """
        let loaded = try load(goavail, file: "goavail.toml")
        #expect(loaded.isGoavail)
        let config = loaded.config
        #expect(config.cluster.node == "203.0.113.10-7946")
        #expect(config.cluster.advertise == SocketAddress("203.0.113.10:7946"))
        #expect(config.cluster.peers.map(\.name) == ["198.51.100.7-7946", "192.0.2.44-7000"])
        #expect(config.cluster.peers.map(\.address) == [SocketAddress("198.51.100.7:7946")!, SocketAddress("192.0.2.44:7000")!])
        #expect(config.cluster.encryption == .sealed(primary: SecretKey.derived(fromLegacyKey: "0123456789abcdef"), older: [], source: .goavail))
        #expect(config.checks.map(\.address) == ["203.0.113.80", "203.0.113.81"])
        #expect(config.checks.allSatisfy { $0.kind == .tcp && $0.port == 443 && $0.interval == .seconds(5) && $0.fall == 3 })
        #expect(config.dns?.hostnames == ["www.example.com", "api.example.com"])
        #expect(config.dns?.proxied == true)
        #expect(config.dns?.credentials == .globalKeyEnvironment(email: "CF_API_EMAIL", key: "CF_API_KEY"))
        #expect(config.notify.webhookURL == "https://hooks.slack.com/services/T000/B000/XXXX")
        let warned = Set(loaded.warnings.map(\.key))
        #expect(warned.isSuperset(of: ["failure_threshold", "Members.min_peers_agree", "Members.crypto_key"]))
        #expect(loaded.warnings.first { $0.key == "failure_threshold" }?.position == TOMLPosition(line: 2, column: 1))
    }

    /// One broken example per rule: the line, column and key named, and a message fragment.
    @Test(arguments: [
        ("[cluster]\nnode = \"fra-1\"\npeers = [\"iad-1@198.51.100.7:7946\"]\nmin_peers_agree = 2", 4, "cluster.min_peers_agree", "at most 1"),
        ("[cluster]\nnode = \"fra-1\"\npeers = [\"fra-1@198.51.100.7:7946\"]", 3, "cluster.peers", "this node's own name"),
        ("[cluster]\nnode = \"fra-1\"\npeers = [\"a@198.51.100.7:7946\", \"a@198.51.100.8:7946\"]", 3, "cluster.peers", "appears twice"),
        ("[cluster]\nnode = \"fra-1\"\npeers = [\"iad-1@example.com:7946\"]", 3, "cluster.peers", "not name@address:port"),
        ("[cluster]\nnode = \"fra 1\"", 2, "cluster.node", "not a valid name"),
        ("[cluster]\nnode = \"fra-1\"\nbind = \"0.0.0.0\"", 3, "cluster.bind", "numeric address:port"),
        ("[cluster]\nnode = \"fra-1\"\ncrypto_key = \"c2hvcnQ=\"", 3, "cluster.crypto_key", "32 bytes"),
        ("[cluster]\nnode = \"fra-1\"\ncrypto_key_file = \"missing.pem\"", 3, "cluster.crypto_key_file", "cannot read key file"),
        ("[cluster]\nnode = \"fra-1\"\ncrypto_key = \"x\"\ncrypto_key_file = \"a.key\"", 4, "cluster.crypto_key_file", "not both"),
        ("[cluster]\nnode = \"fra-1\"\nvote_ttl = \"soon\"", 3, "cluster.vote_ttl", "a duration"),
        ("[cluster]\nnode = \"fra-1\"\nmin_peer_agree = 1", 3, "cluster.min_peer_agree", "did you mean 'min_peers_agree'?"),
        ("[clustr]\nnode = \"fra-1\"", 1, "clustr", "did you mean 'cluster'?"),
        ("[[check]]\ntype = \"tcp\"\naddress = \"203.0.113.9\"\nport = 80\ninterval = \"1s\"\ntimeout = \"1s\"", 6, "check[1].timeout", "shorter than the interval"),
        ("[[check]]\ntype = \"tcp\"\naddress = \"203.0.113.9\"", 1, "check[1].port", "needs the port"),
        ("[[check]]\ntype = \"tcp\"\naddress = \"203.0.113.9\"\nport = 70000", 4, "check[1].port", "from 1 to 65535"),
        ("[[check]]\ntype = \"ping\"\naddress = \"203.0.113.9\"", 2, "check[1].type", "\"icmp\", \"tcp\" or \"http\""),
        ("[[check]]\ntype = \"icmp\"\naddress = \"host.example\"", 3, "check[1].address", "not a numeric IPv4 or IPv6"),
        ("[[check]]\ntype = \"icmp\"\naddress = \"203.0.113.9\"\nport = 80", 4, "check[1].port", "does not apply to an icmp check"),
        ("[[check]]\ntype = \"http\"\naddress = \"203.0.113.9\"\nexpect = \"x\"", 4, "check[1].expect", "tcp checks only"),
        ("[[check]]\ntype = \"http\"\naddress = \"203.0.113.9\"\nexpected_status = [99]", 4, "check[1].expected_status", "status codes"),
        ("[[check]]\ntype = \"http\"\naddress = \"203.0.113.9\"\nmethod = \"POST\"", 4, "check[1].method", "\"GET\" or \"HEAD\""),
        ("[[check]]\ntype = \"tcp\"\naddress = \"203.0.113.9\"\nport = 80\nrise = 0", 5, "check[1].rise", "from 1 to 100"),
        ("[[check]]\ntype = \"http\"\naddress = \"203.0.113.9\"\nca_file = \"/etc/ca.pem\"", 4, "check[1].ca_file", "applies to https checks only"),
        ("[[check]]\nname = \"a\"\ntype = \"icmp\"\naddress = \"203.0.113.9\"\n[[check]]\nname = \"a\"\ntype = \"icmp\"\naddress = \"203.0.113.8\"", 6, "check[2].name", "used twice"),
        ("[dns]\nzone = \"example.com\"\nhostnames = [\"www.example.org\"]\naddresses = [\"203.0.113.80\"]\napi_token_env = \"X\"", 3, "dns.hostnames", "not inside the zone"),
        ("[dns]\nzone = \"example.com\"\nhostnames = [\"www.example.com\"]\naddresses = [\"203.0.113.99\"]\napi_token_env = \"X\"", 4, "dns.addresses", "no [[check]] watches it"),
        ("[dns]\nzone = \"example.com\"\nhostnames = [\"www.example.com\"]\naddresses = [\"203.0.113.80\"]\napi_token = \"secret\"", 5, "dns.api_token", "secrets are not written"),
        ("[dns]\nzone = \"example.com\"\nhostnames = [\"www.example.com\"]\naddresses = [\"203.0.113.80\"]\napi_token_env = \"X\"\nttl = 30", 6, "dns.ttl", "1 (automatic) or 60"),
        ("[dns]\nzone = \"example.com\"\nhostnames = [\"www.example.com\"]\naddresses = [\"203.0.113.80\"]\napi_token_file = \"nothing.txt\"", 5, "dns.api_token_file", "cannot read"),
        ("[notify]\nwebhook_url = \"hooks.slack.com\"", 2, "notify.webhook_url", "not an http(s) URL"),
    ])
    func eachRuleNamesItsLineAndKey(_ fragment: String, _ line: Int, _ keyPath: String, _ message: String) {
        // Each fragment replaces the same-named table of the minimal config; everything else stays valid.
        var tables = minimal.components(separatedBy: "\n\n")
        let header = fragment.components(separatedBy: "\n")[0]
        let replaced = tables.firstIndex { $0.hasPrefix(header) }
        let offset: Int
        if let replaced {
            offset = tables[..<replaced].reduce(0) { $0 + $1.components(separatedBy: "\n").count + 1 }
            tables[replaced] = fragment
        } else {
            offset = tables.reduce(0) { $0 + $1.components(separatedBy: "\n").count + 1 }
            tables.append(fragment)
        }
        let text = tables.joined(separator: "\n\n")
        do {
            _ = try load(text)
            Issue.record("accepted:\n\(text)")
        } catch {
            let match = error.diagnostics.first { $0.key == keyPath && $0.message.contains(message) }
            #expect(match != nil, "\(error)")
            #expect(match?.position?.line == offset + line, "\(error)")
            #expect(match?.description.hasPrefix("vantage.toml:\(offset + line):") == true)
        }
    }

    @Test func everyErrorIsListedInOnePass() {
        do {
            _ = try load("[cluster]\nnode = \"bad name\"\nbnid = \"x\"\n[[check]]\ntype = \"ftp\"\n[dns]\nzone = \"example.com\"")
            Issue.record("accepted")
        } catch {
            let keys = Set(error.diagnostics.map(\.key))
            #expect(keys.isSuperset(of: ["cluster.node", "cluster.bnid", "check[1].type", "check[1].address", "dns.hostnames", "dns.addresses"]))
            let lines = error.diagnostics.compactMap(\.position?.line)
            #expect(lines == lines.sorted())
        }
    }

    @Test func aTOMLSyntaxErrorIsReportedWithItsPosition() {
        do {
            _ = try load("[cluster]\nnode = \"fra-1\npeers = []")
            Issue.record("accepted")
        } catch {
            #expect(error.diagnostics.map(\.description) == ["vantage.toml:2:14: unterminated string (started at 2:8), found end of line"])
        }
    }

    @Test func durationsReadAndPrintTheWayOperatorsWriteThem() {
        #expect(DurationText.parse("800ms") == .milliseconds(800))
        #expect(DurationText.parse("1.5s") == .milliseconds(1_500))
        #expect(DurationText.parse("2m") == .seconds(120))
        #expect(DurationText.parse("1h") == .seconds(3_600))
        #expect(DurationText.parse("3") == .seconds(3))
        for bad in ["", "0s", "-1s", "1x", "ms", "infs"] { #expect(DurationText.parse(bad) == nil, "\(bad)") }
        #expect(DurationText.format(.milliseconds(800)) == "800ms")
        #expect(DurationText.format(.seconds(90)) == "90s")
        #expect(DurationText.format(.seconds(120)) == "2m")
    }
}

@Suite struct CheckConfigCommandTests {
    private func write(_ text: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vantage-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try SecretKey.generate().base64EncodedString.write(to: directory.appendingPathComponent("cluster.key"), atomically: true, encoding: .utf8)
        let path = directory.appendingPathComponent("vantage.toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func argumentsDefaultToVantageTomlAndRejectStrangers() throws {
        #expect(try CheckConfigCommand.parse([]) == "vantage.toml")
        #expect(try CheckConfigCommand.parse(["--config", "a.toml"]) == "a.toml")
        #expect(try CheckConfigCommand.parse(["--config=b.toml"]) == "b.toml")
        #expect(throws: UsageError("unknown option --conf")) { try CheckConfigCommand.parse(["--conf", "x"]) }
        #expect(throws: UsageError("option --config needs a value")) { try CheckConfigCommand.parse(["--config"]) }
        #expect(throws: UsageError("unexpected argument 'x.toml'")) { try CheckConfigCommand.parse(["x.toml"]) }
    }

    @Test func exitCodesAreZeroForValidOneForInvalidTwoForUsage() async throws {
        let valid = try write(minimal)
        #expect(await VantageCLI().run(["check-config", "--config", valid]) == 0)
        let invalid = try write(minimal.replacingOccurrences(of: "port = 443", with: "port = 0"))
        #expect(await VantageCLI().run(["check-config", "--config", invalid]) == 1)
        #expect(await VantageCLI().run(["check-config", "--config", "/nonexistent/vantage.toml"]) == 1)
        #expect(await VantageCLI().run(["check-config", "--what"]) == 2)
    }
}
