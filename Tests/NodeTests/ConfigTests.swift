import IO
import Foundation
@testable import Node
import TOML
import Testing
import Wire

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
    @Test func defaultsAreDesignMdsAndSecretsNeverRender() throws {
        let config = try load(minimal).config
        #expect(config.cluster.name == "vantage")
        #expect(config.cluster.bind == SocketAddress("0.0.0.0:7946"))
        #expect(config.cluster.advertise == config.cluster.bind)
        #expect(config.cluster.minPeersAgree == 1)
        #expect(config.cluster.voteTTL == .seconds(30))
        #expect(config.cluster.voteInterval == .seconds(5))
        #expect(config.cluster.encryption == .sealed(primary: VantageConfig.ClusterKey(testKey, from: .file("cluster.key")), older: []))
        let check = try #require(config.checks.first)
        #expect((check.interval, check.timeout, check.rise, check.fall) == (.seconds(1), .milliseconds(800), 2, 3))
        #expect(check.name == "tcp 203.0.113.80:443")
        #expect(config.dns?.ttl == 60)
        #expect(config.dns?.credentials == .tokenEnvironment("CLOUDFLARE_API_TOKEN"))
        #expect(!config.rendered.contains(testKey.base64EncodedString))
        // The rendering is itself a valid config that means the same.
        #expect(try load(config.rendered).config == config)
    }

    @Test func anInlineKeyIsRedactedWhenRendered() throws {
        let text = minimal.replacingOccurrences(of: "crypto_key_file = \"cluster.key\"", with: "crypto_key = \"\(testKey.base64EncodedString)\"")
        let config = try load(text).config
        #expect(config.rendered.contains("crypto_key = \"<redacted>\""))
        #expect(!config.rendered.contains(testKey.base64EncodedString))
    }

    /// One broken example per rule: the line, column and key named, and a message fragment.
    @Test(arguments: [
        ("[cluster]\nnode = \"fra-1\"\npeers = [\"iad-1@198.51.100.7:7946\"]\nmin_peers_agree = 2\ncrypto_key_file = \"cluster.key\"", 4, "cluster.min_peers_agree", "at most 1"),
        ("[cluster]\nnode = \"fra-1\"\npeers = [\"fra-1@198.51.100.7:7946\"]\ncrypto_key_file = \"cluster.key\"", 3, "cluster.peers", "this node's own name"),
        ("[cluster]\nnode = \"fra-1\"\npeers = [\"a@198.51.100.7:7946\", \"a@198.51.100.8:7946\"]\ncrypto_key_file = \"cluster.key\"", 3, "cluster.peers", "appears twice"),
        ("[cluster]\nnode = \"fra-1\"\npeers = [\"iad-1@example.com:7946\"]", 3, "cluster.peers", "not name@address:port"),
        ("[cluster]\nnode = \"fra 1\"", 2, "cluster.node", "not a valid name"),
        ("[cluster]\nnode = \"fra-1\"\nbind = \"0.0.0.0\"", 3, "cluster.bind", "numeric address:port"),
        ("[cluster]\nnode = \"fra-1\"\ncrypto_key = \"c2hvcnQ=\"", 3, "cluster.crypto_key", "32 bytes"),
        ("[cluster]\nnode = \"fra-1\"\ncrypto_key_file = \"missing.pem\"", 3, "cluster.crypto_key_file", "cannot read key file"),
        ("[cluster]\nnode = \"fra-1\"\ncrypto_key = \"x\"\ncrypto_key_file = \"a.key\"", 4, "cluster.crypto_key_file", "not both"),
        ("[cluster]\nnode = \"fra-1\"\nvote_ttl = \"soon\"", 3, "cluster.vote_ttl", "a duration"),
        ("[cluster]\nnode = \"fra-1\"\ncrypto_key_file = \"cluster.key\"\nvote_interval = \"40s\"", 4, "cluster.vote_interval", "shorter than vote_ttl (30s)"),
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

    /// The errors of `text`, or none when it loads.
    private func errors(_ text: String) -> [ConfigDiagnostic] {
        do {
            _ = try load(text)
            return []
        } catch {
            return error.diagnostics
        }
    }

    @Test(arguments: [
        ("peers = [\"iad-1@198.51.100.7\"]", "cluster.peers"),
        ("peers = \"iad-1@198.51.100.7:7946\"", "cluster.peers"),
        ("peers = [\"iad-1@198.51.100.7:7946\", 7]", "cluster.peers"),
    ])
    func oneMalformedPeersListIsOneError(_ line: String, _ key: String) {
        let text = minimal.replacingOccurrences(of: "peers = [\"iad-1@198.51.100.7:7946\", \"sin-1@192.0.2.44:7946\"]", with: line)
        let found = errors(text)
        #expect(found.map(\.key) == [key], "\(found)")
    }

    @Test func aBrokenCheckIsOneErrorNotAlsoNoChecks() {
        let found = errors(minimal.replacingOccurrences(of: "type = \"tcp\"", with: "type = \"ftp\""))
        #expect(found.map(\.key) == ["check[1].type"], "\(found)")
        let missing = errors(minimal.components(separatedBy: "[[check]]")[0] + "[dns]" + minimal.components(separatedBy: "[dns]")[1])
        #expect(missing.map(\.message).contains { $0.hasPrefix("no [[check]] entries") }, "\(missing)")
    }

    @Test func aSingleAgentWithoutPeersDecidesAlone() throws {
        let lab = """
            [cluster]
            node = "lab"
            insecure_no_encryption = true

            [[check]]
            type = "icmp"
            address = "127.0.0.1"
            """
        let loaded = try load(lab)
        #expect(loaded.config.cluster.peers.isEmpty)
        #expect(loaded.config.cluster.minPeersAgree == 0)
        // Written explicitly, a count nobody can reach is still refused, at its line.
        let found = errors(lab.replacingOccurrences(of: "node = \"lab\"", with: "node = \"lab\"\nmin_peers_agree = 1"))
        #expect(found.map(\.description) == ["vantage.toml:3:1: cluster.min_peers_agree: is 1 but there are only 0 peers; at most 0"])
    }

    @Test func anUnreachableDefaultAdvertiseIsWarnedAbout() throws {
        let warned = try load(minimal).warnings
        #expect(warned.map(\.key) == ["cluster.advertise"])
        #expect(warned.first?.message.contains("0.0.0.0:7946") == true)
        let set = try load(minimal.replacingOccurrences(of: "node = \"fra-1\"", with: "node = \"fra-1\"\nadvertise = \"203.0.113.10:7946\""))
        #expect(set.warnings.isEmpty)
    }

    @Test func aGlobalAPIKeyIsReadFromTheNamedVariablesAndWarnedWhenUnset() throws {
        let text = minimal.replacingOccurrences(of: "api_token_env = \"CLOUDFLARE_API_TOKEN\"", with: "api_email_env = \"CF_API_EMAIL\"\napi_key_env = \"CF_API_KEY\"")
        #expect(try load(text).config.dns?.credentials == .globalKeyEnvironment(email: "CF_API_EMAIL", key: "CF_API_KEY"))
        let bare = ConfigFiles(read: testFiles.read, environment: [:])
        let warned = try load(text, files: bare).warnings.map(\.description)
        #expect(warned.contains("vantage.toml:15:1: warning: dns.api_email_env: environment variable CF_API_EMAIL is not set here"), "\(warned)")
        #expect(warned.contains("vantage.toml:16:1: warning: dns.api_key_env: environment variable CF_API_KEY is not set here"), "\(warned)")
        let half = errors(text.replacingOccurrences(of: "api_key_env = \"CF_API_KEY\"", with: ""))
        #expect(half.map(\.key) == ["dns.api_key_env"], "\(half)")
        let both = errors(text + "\napi_token_env = \"CLOUDFLARE_API_TOKEN\"")
        #expect(both.map(\.key) == ["dns.api_email_env"], "\(both)")
    }

    @Test func theRenderingKeepsFileReferencesAndChecksAgain() throws {
        let text = minimal.replacingOccurrences(of: "crypto_key_file = \"cluster.key\"",
                                                with: "crypto_key_file = \"cluster.key\"\nolder_crypto_key_files = [\"cluster.key.old\"]")
            .replacingOccurrences(of: "api_token_env = \"CLOUDFLARE_API_TOKEN\"", with: "api_token_file = \"cloudflare.token\"")
        let config = try load(text).config
        #expect(config.rendered.contains("older_crypto_key_files = [\"cluster.key.old\"]"))
        #expect(config.rendered.contains("api_token_file = \"cloudflare.token\""))
        #expect(try load(config.rendered).config == config)
    }

    @Test func aRedactedSecretIsRecognisedAndExplained() throws {
        let inline = minimal.replacingOccurrences(of: "crypto_key_file = \"cluster.key\"", with: "crypto_key = \"\(testKey.base64EncodedString)\"")
            + "\n\n[notify]\nwebhook_url = \"https://hooks.slack.com/services/T000/B000/XXXX\""
        let rendered = try load(inline).config.rendered
        #expect(!rendered.contains(testKey.base64EncodedString) && !rendered.contains("XXXX"))
        let found = errors(rendered)
        #expect(found.map(\.key) == ["cluster.crypto_key", "notify.webhook_url"], "\(found)")
        #expect(found.allSatisfy { $0.message.hasPrefix("<redacted> is how check-config prints an inline secret") })
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

    @Test func thePathIsAPositionalOrConfigAndDefaultsToVantageToml() throws {
        #expect(try CheckConfigCommand.parse([]).path == "vantage.toml")
        #expect(try CheckConfigCommand.parse(["missing.toml"]).path == "missing.toml")
        #expect(try CheckConfigCommand.parse(["--config", "a.toml"]).path == "a.toml")
        #expect(try CheckConfigCommand.parse(["--config=b.toml"]).path == "b.toml")
        #expect(throws: UsageError("unknown option --conf")) { try CheckConfigCommand.parse(["--conf", "x"]) }
        #expect(throws: UsageError("option --config needs a value")) { try CheckConfigCommand.parse(["--config"]) }
        #expect(throws: UsageError("give one config file, not 'a.toml' and 'b.toml'")) { try CheckConfigCommand.parse(["a.toml", "--config", "b.toml"]) }
        #expect(throws: UsageError("unknown option -x")) { try CheckConfigCommand.parse(["-x"]) }
    }

    @Test func goavailsCheckTypeAndProviderFlagsAreRead() throws {
        let invocation = try CheckConfigCommand.parse(["-t", "tcp", "goavail.toml", "--dns-provider=cloudflare"])
        #expect(invocation.path == "goavail.toml")
        #expect(invocation.goavail == GoavailOptions(checkType: .tcp, provider: .cloudflare))
        #expect(throws: UsageError("option --type expects ip (ICMP, goavail's default) or tcp, got 'udp'")) {
            try CheckConfigCommand.parse(["-t", "udp"])
        }
    }

    @Test func aMissingFileSaysHowToNameOne() {
        let help = CheckConfigCommand.missingFileHelp("missing.toml")
        #expect(help.hasPrefix("missing.toml: no such file (looked for /"))
        #expect(help.contains("`vantage check-config PATH` or `--config PATH`"))
        #expect(help.contains("vantage.toml in the current directory"))
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
