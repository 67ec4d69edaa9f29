import Foundation
@testable import Node
import Testing

/// The README's configuration examples work as written: the copy-paste setup runs as a shell
/// script against the built binary, the cluster examples are valid, the goavail sample loads
/// with warnings only, and the goavail service line parses.
@Suite struct ReadmeExampleTests {
    @Test func theClusterExamplesAreValid() throws {
        let examples = try readmeBlocks("toml").filter { $0.info == "toml" }
        #expect(examples.count >= 2)
        for example in examples {
            do {
                let loaded = try load(example.text, file: "README.md")
                #expect(!loaded.config.checks.isEmpty)
            } catch {
                Issue.record("README example rejected:\n\(error)")
            }
        }
    }

    /// The "Try it on one machine" script, run by `sh` in an empty directory with this build's
    /// `vantage` on the PATH; then the configuration it printed is checked again.
    @Test func theLocalSetupRunsAsCopied() throws {
        let script = try #require(try readmeBlocks("sh").first { $0.text.contains("vantage keygen > cluster.key") }).text
        let file = try #require(try readmeBlocks("toml lab.toml").first).text
        #expect(script.contains("cat > lab.toml <<'TOML'\n\(file)TOML\n"), "the script writes the lab.toml shown below it")
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-ec", script]
        shell.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = VantageProcess.executable.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        shell.environment = environment
        let output = Pipe(), errors = Pipe()
        shell.standardOutput = output
        shell.standardError = errors
        try shell.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let warnings = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        shell.waitUntilExit()
        #expect(shell.terminationStatus == 0, "\(warnings)")
        #expect(warnings.isEmpty, "\(warnings)")
        #expect(printed.contains("crypto_key_file = \"cluster.key\"") && printed.contains("min_peers_agree = 0"))
        try printed.write(to: directory.appendingPathComponent("effective.toml"), atomically: true, encoding: .utf8)
        let again = try VantageProcess.run(["check-config", "effective.toml"], in: directory)
        #expect(again.status == 0, "\(again.standardError)")
        #expect(again.standardOutput == printed)
    }

    @Test func theGoavailSampleLoadsWithWarningsOnly() throws {
        let sample = try #require(try readmeBlocks("toml goavail.toml").first).text
        for type in GoavailOptions.CheckType.allCases {
            let loaded = try load(sample, file: "goavail.toml", goavail: GoavailOptions(checkType: type))
            #expect(loaded.isGoavail && !loaded.warnings.isEmpty)
            #expect(loaded.config.checks.count == (type == .tcp ? 4 : 2))
        }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try sample.write(to: directory.appendingPathComponent("goavail.toml"), atomically: true, encoding: .utf8)
        let checked = try VantageProcess.run(["check-config", "-t", "tcp", "goavail.toml"], in: directory)
        #expect(checked.status == 0, "\(checked.standardError)")
        #expect(checked.standardOutput.hasPrefix("# goavail.toml is in goavail's format; the equivalent vantage.toml:\n"))
    }

    @Test func theGoavailServiceLineParses() throws {
        let line = try #require(try readmeBlocks("sh").flatMap { $0.text.components(separatedBy: "\n") }.first { $0.hasPrefix("vantage monitor ") })
        let arguments = try MonitorArguments(Array(line.split(separator: " ").dropFirst(2).map(String.init)))
        #expect(arguments.configPath == "/etc/goavail/goavail.toml" && !arguments.dryRun)
        #expect(arguments.goavail == GoavailOptions(checkType: .tcp, provider: .cloudflare))
    }
}
