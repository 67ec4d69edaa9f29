import Foundation
@testable import Node
import Testing

/// goavail's command line as `vantage monitor` will take it.
@Suite struct MonitorArgumentsTests {
    @Test func goavailsServiceLineParsesUnchanged() throws {
        let arguments = try MonitorArguments(["--no-dry-run", "-t", "tcp", "-p", "cloudflare", "-f", "/etc/goavail/goavail.toml"])
        #expect(arguments.configPath == "/etc/goavail/goavail.toml")
        #expect(!arguments.dryRun)
        #expect(arguments.goavail == GoavailOptions(checkType: .tcp, provider: .cloudflare))
    }

    @Test func aDryRunIsTheDefaultAndEverySpellingIsAccepted() throws {
        let defaults = try MonitorArguments([])
        #expect(defaults.configPath == "vantage.toml" && defaults.dryRun && !defaults.debug && defaults.goavail == GoavailOptions())
        #expect(try MonitorArguments(["--no-dry-run", "-d"]).dryRun)
        #expect(try MonitorArguments(["--dry-run", "--no-dry-run"]).dryRun == false)
        #expect(try MonitorArguments(["--config-file=a.toml", "--type=ip", "--dns-provider", "route53", "-b"])
                == { var expected = try MonitorArguments([]); expected.configPath = "a.toml"; expected.debug = true; expected.logLevel = .debug
                     expected.goavail = GoavailOptions(checkType: .ip, provider: .route53); return expected }())
        #expect(try MonitorArguments(["--config", "b.toml"]).configPath == "b.toml")
    }

    @Test func mistakesAreUsageErrors() {
        #expect(throws: UsageError("option --type expects ip (ICMP, goavail's default) or tcp, got 'icmp'")) { try MonitorArguments(["-t", "icmp"]) }
        #expect(throws: UsageError("option --dns-provider expects cloudflare or route53, got 'aws'")) { try MonitorArguments(["-p", "aws"]) }
        #expect(throws: UsageError("option --config-file needs a value")) { try MonitorArguments(["-f"]) }
        #expect(throws: UsageError("option --dry-run takes no value")) { try MonitorArguments(["--dry-run=false"]) }
        #expect(throws: UsageError("unknown option -x")) { try MonitorArguments(["-x"]) }
        #expect(throws: UsageError("unexpected argument 'goavail.toml'")) { try MonitorArguments(["goavail.toml"]) }
    }

    @Test func theCheckTypeAndProviderFlowIntoTheConfig() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("goavail.toml").path
        try goavailExample.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try MonitorArguments(["-f", path]).loadConfig().config.checks.allSatisfy { $0.kind == .icmp })
        #expect(try MonitorArguments(["-f", path, "-t", "tcp"]).loadConfig().config.checks.allSatisfy { $0.kind == .tcp })
        #expect(throws: ConfigErrors.self) { try MonitorArguments(["-f", path, "-p", "route53"]).loadConfig() }
    }
}
