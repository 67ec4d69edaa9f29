import Foundation
@testable import Node
import Testing
import Wire

/// The deployment files in `deploy/` work as shipped: the example config loads through the real
/// loader (the fra agent's file as written, and the iad and sin variants its header table
/// describes), the systemd unit carries the directives the agent's security and lifecycle rely
/// on and runs the config the example documents, and `systemd-analyze verify` accepts the unit.
@Suite struct DeployFilesTests {
    static let deploy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("deploy")
    /// Where the unit's LoadCredential= copies appear, as the example config names them.
    static let credentials = "/run/credentials/vantage.service/"

    static func read(_ name: String) throws -> String {
        try String(contentsOf: deploy.appendingPathComponent(name), encoding: .utf8)
    }

    /// The unit's directives (`Key=value`), comments and blank lines left out.
    static func directives() throws -> [String] {
        try read("vantage.service").components(separatedBy: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") && !$0.hasPrefix(";") && !$0.hasPrefix("[") }
    }

    @Test func theExampleConfigLoadsForEachAgent() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try SecretKey.generate().base64EncodedString.write(to: directory.appendingPathComponent("cluster.key"), atomically: true, encoding: .utf8)
        try "token".write(to: directory.appendingPathComponent("cloudflare-token"), atomically: true, encoding: .utf8)
        // The secrets' paths, systemd's credential copies and their /etc/vantage originals, point
        // at the temporary directory; nothing else changes.
        let example = try Self.read("vantage.example.toml")
            .replacingOccurrences(of: Self.credentials, with: directory.path + "/")
            .replacingOccurrences(of: "/etc/vantage/", with: directory.path + "/")
        func loadFile(_ text: String, as name: String) throws -> ConfigLoader.Loaded {
            let file = directory.appendingPathComponent(name)
            try text.write(to: file, atomically: true, encoding: .utf8)
            return try ConfigLoader.load(path: file.path)
        }

        let fra = try loadFile(example, as: "vantage.toml")
        #expect(fra.warnings.isEmpty, "\(fra.warnings)")
        let cluster = fra.config.cluster
        #expect(cluster.node == "fra" && cluster.agentCount == 3)
        #expect(cluster.peers.map(\.name) == ["iad", "sin"])
        #expect(cluster.minPeersAgree == 1)
        #expect(cluster.dataDirectory == "/var/lib/vantage")
        #expect(fra.config.checks.count == 3 && fra.config.notify.webhookURL != nil)
        #expect(fra.config.dns?.credentials == .tokenFile(directory.path + "/cloudflare-token"))

        // The header's table: `#   iad    "iad"  "198.51.100.10:7946"  ["fra@…", "sin@…"]`.
        let rows = example.components(separatedBy: "\n").compactMap { line -> (node: String, advertise: String, peers: String)? in
            guard line.hasPrefix("#   "), let bracket = line.firstIndex(of: "[") else { return nil }
            let quoted = line[..<bracket].components(separatedBy: "\"")
            guard quoted.count == 5 else { return nil }
            return (quoted[1], quoted[3], String(line[bracket...]))
        }
        #expect(rows.map { $0.node } == ["fra", "iad", "sin"])
        for row in rows {
            let variant = example.components(separatedBy: "\n").map { line in
                if line.hasPrefix("node = ") { return "node = \"\(row.node)\"" }
                if line.hasPrefix("advertise = ") { return "advertise = \"\(row.advertise)\"" }
                if line.hasPrefix("peers = ") { return "peers = \(row.peers)" }
                return line
            }.joined(separator: "\n")
            let loaded = try loadFile(variant, as: "\(row.node).toml")
            #expect(loaded.warnings.isEmpty, "\(row.node): \(loaded.warnings)")
            #expect(loaded.config.cluster.node == row.node && loaded.config.cluster.agentCount == 3)
            #expect(loaded.config.cluster.advertise.description == row.advertise)
            // Everything but the three lines is shared, and the fra row is the file as written.
            var shared = loaded.config
            shared.cluster.node = cluster.node
            shared.cluster.advertise = cluster.advertise
            shared.cluster.peers = cluster.peers
            #expect(shared == fra.config, "\(row.node)")
            if row.node == "fra" { #expect(loaded.config == fra.config) }
        }
    }

    @Test func theUnitCarriesTheRequiredDirectives() throws {
        let directives = try Self.directives()
        for required in ["DynamicUser=yes", "StateDirectory=vantage", "AmbientCapabilities=CAP_NET_RAW",
                         "CapabilityBoundingSet=CAP_NET_RAW", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
                         "NoNewPrivileges=yes", "ExecReload=/bin/kill -HUP $MAINPID", "Restart=on-failure",
                         "RestartSec=2s", "TimeoutStopSec=10s"] {
            #expect(directives.contains(required), "vantage.service lacks \(required)")
        }
        let starts = directives.filter { $0.hasPrefix("ExecStart=") }
        #expect(starts.count == 1)
        let start = try #require(starts.first)
        let words = start.dropFirst("ExecStart=".count).split(separator: " ").map(String.init)
        #expect(words.first == "/usr/local/bin/vantage" && words.dropFirst().first == "monitor")
        #expect(words.contains("--no-dry-run"))
        let flag = try #require(words.firstIndex(of: "--config"))
        let configPath = try #require(words.indices.contains(flag + 1) ? words[flag + 1] : nil)
        #expect(configPath == "/etc/vantage/vantage.toml")

        // The example documents that file: it is checked there, and its dry-run drop-in is this
        // ExecStart without --no-dry-run.
        let example = try Self.read("vantage.example.toml")
        #expect(example.contains("vantage check-config \(configPath)"))
        #expect(example.contains(start.replacingOccurrences(of: " --no-dry-run", with: "") + "\n"))
        // StateDirectory=vantage is the config's data_dir; every credential the unit loads is one
        // the config reads, from the /etc/vantage file the example tells to create.
        #expect(example.contains("data_dir = \"/var/lib/vantage\""))
        let credentials = directives.filter { $0.hasPrefix("LoadCredential=") }
            .map { $0.dropFirst("LoadCredential=".count).split(separator: ":", maxSplits: 1).map(String.init) }
        #expect(credentials.map { $0.first ?? "" }.sorted() == ["cloudflare-token", "cluster.key"])
        for credential in credentials {
            #expect(credential.count == 2)
            guard credential.count == 2 else { continue }
            #expect(credential[1] == "/etc/vantage/" + credential[0])
            #expect(example.contains("\"\(Self.credentials)\(credential[0])\""), "the example does not read the credential \(credential[0])")
        }
    }

    /// `systemd-analyze verify` on the unit, with the binary paths pointing at this build's
    /// `vantage` (verify insists that ExecStart's program exists).
    @Test func systemdAnalyzeVerifiesTheUnit() throws {
        let searchPath = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        guard let analyze = searchPath.map({ "\($0)/systemd-analyze" }).first(where: FileManager.default.isExecutableFile) else {
            print("skipped: systemd-analyze is not on PATH (Debian package systemd)")
            return
        }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let unit = directory.appendingPathComponent("vantage.service")
        try Self.read("vantage.service").replacingOccurrences(of: "/usr/local/bin/vantage", with: VantageProcess.executable.path)
            .write(to: unit, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: analyze)
        process.arguments = ["verify", unit.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "systemd-analyze verify: \(said)")
        // An unknown or malformed directive is only a warning (exit 0), naming the file.
        #expect(!said.contains("vantage.service:"), "systemd-analyze verify: \(said)")
    }
}
