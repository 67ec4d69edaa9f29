import DemoCLI
import Foundation
import Glibc
import HTTP
import IO
@testable import Node
import Synchronization
import Wire

/// A child process of this build (`vantage monitor`, the Cloudflare fake) with both output
/// streams in one file, so a long run never blocks on a full pipe and a test reads it any time.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    let logPath: String

    init(_ executable: URL, _ arguments: [String], log: String) throws {
        logPath = log
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    var output: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
    var lines: [String] { output.split(separator: "\n").map(String.init) }
    var isRunning: Bool { process.isRunning }

    func signal(_ number: Int32) { Glibc.kill(process.processIdentifier, number) }

    /// The exit status once the process ends within `seconds`, else nil.
    func waitForExit(within seconds: Double) async -> Int32? {
        let end = ContinuousClock.now + .seconds(seconds)
        while process.isRunning, ContinuousClock.now < end { try? await Task.sleep(for: .milliseconds(10)) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Ends the process for good (SIGKILL) if it still runs.
    func kill() {
        if process.isRunning { signal(SIGKILL) }
        process.waitUntilExit()
    }
}

/// A port free on loopback right now (bound and released; the race with other tests is harmless
/// on a machine running one test at a time).
func freePort(udp: Bool = false) throws -> UInt16 {
    if udp { return try UDPSocket(binding: SocketAddress("127.0.0.1:0")!).localAddress.port }
    let listener = try TCPListener(binding: SocketAddress("127.0.0.1:0")!)
    defer { listener.shutdown() }
    return listener.localAddress.port
}

/// Polls `condition` every 20 ms until it holds or `seconds` pass (the runtime and process tests).
func eventually(within seconds: Double, _ condition: () async -> Bool) async -> Bool {
    let end = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < end {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return await condition()
}

/// A whole installation on loopback, every part a real process of this build: `vantage monitor`
/// agents (`--no-dry-run` unless `dryRun`) with generated configs and key, the Cloudflare fake (validating against
/// the published OpenAPI description when it is beside the package), and in-process endpoints.
final class MonitorCluster: @unchecked Sendable {
    static let zone = "demo.test"
    static let hostname = "www.demo.test"
    static let token = "e2e-token-\(UInt64.random(in: 1 ... .max))"

    let directory: URL
    let names: [String]
    let endpoints: [LocalEndpoint]
    let key: String
    let webhookURL: String?
    private(set) var fake: ChildProcess!
    private(set) var fakeURL = ""
    private(set) var agents: [String: ChildProcess] = [:]
    private(set) var statusPorts: [String: UInt16] = [:]
    private(set) var clusterPorts: [String: UInt16] = [:]

    static var buildDirectory: URL { VantageProcess.executable.deletingLastPathComponent() }

    static let specificationPath: String? = {
        let root = String(#filePath).split(separator: "/").dropLast(3).joined(separator: "/")
        let path = "/\(root)/../shared/cloudflare/openapi-dns-subset.json"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }()

    /// Whether the agents run without `--no-dry-run` (they then only log the writes they would make).
    let dryRun: Bool

    init(agents names: [String], endpoints ips: [String] = ["127.0.0.1", "127.0.0.2", "127.0.0.3"], webhookURL: String? = nil,
         dryRun: Bool = false) throws {
        self.dryRun = dryRun
        directory = try temporaryDirectory()
        self.names = names
        self.webhookURL = webhookURL
        endpoints = try ips.map { try LocalEndpoint(ip: $0) }
        key = SecretKey.generate().base64EncodedString
        try key.write(to: directory.appendingPathComponent("cluster.key"), atomically: true, encoding: .utf8)
        try (Self.token + "\n").write(to: directory.appendingPathComponent("token"), atomically: true, encoding: .utf8)
        for name in names {
            clusterPorts[name] = try freePort(udp: true)
            statusPorts[name] = try freePort()
        }
    }

    /// Starts the fake with one record per endpoint, then every agent (or only those named).
    func start(only: [String]? = nil) async throws {
        let fakePort = try freePort()
        var arguments = ["--listen", "127.0.0.1:\(fakePort)", "--zone", Self.zone, "--token", Self.token, "--log-requests"]
        for endpoint in endpoints { arguments += ["--record", "\(Self.hostname)=\(endpoint.ip)"] }
        if let spec = Self.specificationPath { arguments += ["--spec", spec] }
        fake = try ChildProcess(Self.buildDirectory.appendingPathComponent("vantage-cloudflare-fake"), arguments,
                                log: directory.appendingPathComponent("fake.log").path)
        guard await eventually(within: 10, { self.fake.output.contains("serving") }) else {
            throw HarnessError("the fake did not start: \(fake.output)")
        }
        fakeURL = "http://127.0.0.1:\(fakePort)/client/v4"
        for name in only ?? names { try startAgent(name) }
    }

    func configPath(of name: String) -> String { directory.appendingPathComponent("\(name).toml").path }

    /// `name`'s configuration; `extraChecks` adds TOML after the generated checks.
    func config(of name: String, extraChecks: String = "") -> String {
        var config = GeneratedAgentConfig.loopback(cluster: "e2e", node: name, clusterPorts: clusterPorts, statusPort: statusPorts[name]!,
                                         endpoints: endpoints.map { GeneratedAgentConfig.Endpoint(ip: $0.ip, port: $0.port) },
                                         dns: GeneratedAgentConfig.DNS(zone: Self.zone, hostname: Self.hostname, apiURL: fakeURL, tokenFile: "token"))
        config.webhookURL = webhookURL
        config.extraChecks = extraChecks
        return config.text
    }

    func startAgent(_ name: String) throws {
        try config(of: name).write(toFile: configPath(of: name), atomically: true, encoding: .utf8)
        agents[name] = try ChildProcess(VantageProcess.executable,
                                        ["monitor", "--config", configPath(of: name), "--log-format", "json"] + (dryRun ? [] : ["--no-dry-run"]),
                                        log: directory.appendingPathComponent("\(name).log").path)
    }

    // MARK: - Reading the agents and the fake

    func get(_ name: String, _ path: String, token: String? = nil) async -> HTTPResponse? {
        let headers = token.map { [HTTPHeader("Authorization", "Bearer \($0)")] } ?? []
        let request = HTTPRequest(url: "http://127.0.0.1:\(statusPorts[name]!)\(path)", headers: headers, timeout: .seconds(2))
        guard case .success(let response) = await HTTPClient.shared.send(request) else { return nil }
        return response
    }

    func status(of name: String) async -> StatusReport? {
        guard let response = await get(name, "/status"), response.status == 200 else { return nil }
        return try? StatusReport.decoder.decode(StatusReport.self, from: Data(response.body))
    }

    func metrics(of name: String) async -> String? {
        guard let response = await get(name, "/metrics"), response.status == 200 else { return nil }
        return String(decoding: response.body, as: UTF8.self)
    }

    /// The agent among `among` that leads with a valid lease, when exactly one says so.
    func leader(among: [String]? = nil) async -> String? {
        var leaders: [String] = []
        for name in among ?? names where agents[name]?.isRunning == true {
            if let report = await status(of: name), report.role == "leader", report.leaseRemainingSeconds != nil { leaders.append(name) }
        }
        return leaders.count == 1 ? leaders[0] : nil
    }

    /// The fake's request log lines that changed the zone.
    var writes: [String] { fake.lines.filter { $0.hasPrefix("request ") && $0.contains(" write=yes ") } }

    /// The addresses the zone holds for the hostname, read from the fake through its API.
    func zoneAddresses() async -> [String]? {
        let headers = [HTTPHeader("Authorization", "Bearer \(Self.token)")]
        guard case .success(let zones) = await HTTPClient.shared.send(HTTPRequest(url: "\(fakeURL)/zones?name=\(Self.zone)", headers: headers, timeout: .seconds(2))),
              let zoneList = try? JSONSerialization.jsonObject(with: Data(zones.body)) as? [String: Any],
              let zoneID = (zoneList["result"] as? [[String: Any]])?.first?["id"] as? String,
              case .success(let records) = await HTTPClient.shared.send(HTTPRequest(url: "\(fakeURL)/zones/\(zoneID)/dns_records?name=\(Self.hostname)", headers: headers, timeout: .seconds(2))),
              let recordList = try? JSONSerialization.jsonObject(with: Data(records.body)) as? [String: Any],
              let result = recordList["result"] as? [[String: Any]] else { return nil }
        return result.compactMap { $0["content"] as? String }.sorted()
    }

    /// Every output of the run: agent logs, the fake's log, and what the status servers answer.
    func everyOutput() async -> String {
        var text = fake.output + agents.values.map(\.output).joined()
        for name in names where agents[name]?.isRunning == true {
            if let status = await get(name, "/status") { text += String(decoding: status.body, as: UTF8.self) }
            if let metrics = await metrics(of: name) { text += metrics }
        }
        return text
    }

    /// Stops every process (SIGKILL for those still running) and removes the directory.
    func tearDown() {
        for agent in agents.values { agent.kill() }
        fake?.kill()
        for endpoint in endpoints { endpoint.stop() }
        try? FileManager.default.removeItem(at: directory)
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
