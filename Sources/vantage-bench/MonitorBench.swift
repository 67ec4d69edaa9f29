import CloudflareFake
import DemoCLI
import Foundation
import Glibc
import HTTP
import IO
import Synchronization
import Wire

/// The figures of `vantage monitor` as an operator runs it, measured on real processes on
/// loopback (the `vantage` binary of the same build, beside this one):
///
/// - one agent idle with 3 peers and 50 endpoints checked every 1 s, then 1,000, for
///   `VANTAGE_BENCH_SECONDS` each (default 60): resident memory and CPU share of one core;
/// - start-up: process start → first check run, and → first leader of three;
/// - end-to-end failover (endpoint stopped → the DELETE at the API fake) over
///   `VANTAGE_BENCH_RUNS` runs (default 20), against fall × interval;
/// - `VANTAGE_BENCH_FORGED` (default 10⁶) forged, replayed, tampered and random datagrams at the
///   cluster port: how many the agent accepted.
var monitorSuite: BenchmarkSuite {
    BenchmarkSuite(name: "monitor", run: runMonitorBenchmarks)
}

private let environment = ProcessInfo.processInfo.environment
private let seconds = Double(environment["VANTAGE_BENCH_SECONDS"] ?? "") ?? 60
private let runs = Int(environment["VANTAGE_BENCH_RUNS"] ?? "") ?? 20
private let forgedCount = Int(environment["VANTAGE_BENCH_FORGED"] ?? "") ?? 1_000_000

private func runMonitorBenchmarks() async throws -> [Figure] {
    var limit = rlimit(rlim_cur: 65_536, rlim_max: 65_536)
    _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    guard FileManager.default.isExecutableFile(atPath: BenchCluster.vantage.path) else {
        throw BenchFailure.missing("\(BenchCluster.vantage.path): build it first (swift build -c release --product vantage)")
    }
    var figures: [Figure] = []
    figures += try await idleFigures(endpoints: 50)
    figures += try await idleFigures(endpoints: 1_000)
    figures += try await forgedFigures()
    figures += try await failoverFigures()
    return figures
}

/// One agent measured while three peers run beside it; the datagram flood goes to the first.
private func idleFigures(endpoints count: Int) async throws -> [Figure] {
    let endpoints = try (0..<count).map { try LocalEndpoint(ip: "127.0.\(1 + $0 / 250).\(1 + $0 % 250)") }
    defer { for endpoint in endpoints { endpoint.stop() } }
    // The defaults an operator runs with: checks every 1 s, every view re-sent every 5 s.
    let cluster = try BenchCluster(names: ["a", "b", "c", "d"], endpoints: endpoints, interval: "1s", timeout: "800ms", voteInterval: "5s", dns: nil)
    defer { cluster.stop() }
    let launched = ContinuousClock.now
    try cluster.start()
    var firstCheck: Duration?, firstLeader: Duration?
    while firstCheck == nil || firstLeader == nil, ContinuousClock.now - launched < .seconds(30) {
        if firstCheck == nil, let metrics = await cluster.get("a", "/metrics"), metrics.contains("vantage_check_runs_total{") {
            firstCheck = .now - launched
        }
        if firstLeader == nil, await cluster.leader() != nil { firstLeader = .now - launched }
        try await Task.sleep(for: .milliseconds(10))
    }
    let pid = cluster.pid(of: "a")
    try await Task.sleep(for: .seconds(3))  // past start-up
    let cpuBefore = cpuSeconds(of: pid), wallBefore = ContinuousClock.now
    try await Task.sleep(for: .seconds(seconds))
    let cpu = (cpuSeconds(of: pid) - cpuBefore) / ((ContinuousClock.now - wallBefore) / .seconds(1))
    let rss = residentMiB("VmRSS", of: "\(pid)"), peak = residentMiB("VmHWM", of: "\(pid)")
    let label = "monitor, 3 peers, \(count) TCP endpoints at 1s"
    var figures = [
        Figure(name: "\(label): CPU over \(Int(seconds)) s", value: cpu * 100, unit: "% of a core",
               note: count <= 50 ? "goal ≤ 1 %" : "goal ≤ 5 %"),
        Figure(name: "\(label): resident memory", value: rss, unit: "MiB", note: "peak \(String(format: "%.1f", peak)) MiB; goal ≤ 20 MiB, goavail 13–17"),
    ]
    if count <= 50 {
        figures.append(Figure(name: "start-up: process start → first check run", value: (firstCheck ?? .seconds(-1)) / .milliseconds(1), unit: "ms",
                              note: "first runs are spread over the interval"))
        figures.append(Figure(name: "start-up: four agents started → one leader with a lease", value: (firstLeader ?? .seconds(-1)) / .milliseconds(1),
                              unit: "ms", note: "election timeout 1.5–3 s"))
    }
    return figures
}

/// Forged (wrong key), replayed, tampered and random datagrams at agent "a", claiming to come from
/// "ghost", a configured peer that never runs: whatever "a" accepts is forged.
private func forgedFigures() async throws -> [Figure] {
    let endpoint = try LocalEndpoint(ip: "127.0.0.1")
    defer { endpoint.stop() }
    let cluster = try BenchCluster(names: ["a", "ghost"], endpoints: [endpoint], interval: "1s", timeout: "800ms", dns: nil)
    defer { cluster.stop() }
    try cluster.start(only: ["a"])
    try await Task.sleep(for: .seconds(2))
    let target = SocketAddress("127.0.0.1:\(cluster.clusterPorts["a"]!)")!
    let socket = try UDPSocket(binding: SocketAddress("127.0.0.1:0")!)
    let key = try SecretKey(base64: cluster.key)
    var genuine = SecureChannel(clusterName: "bench", keyring: try Keyring(primary: key), nonces: .random)
    var forger = SecureChannel(clusterName: "bench", keyring: try Keyring(primary: SecretKey.generate()), nonces: .random)
    // A genuine datagram of "ghost", captured: sent once, then replayed and tampered with.
    let captured = try genuine.seal(Envelope(sender: "ghost", bootEpoch: 1, sequence: 1, kind: .vote, body: [0]))
    try socket.send(captured, to: target)
    try await Task.sleep(for: .milliseconds(200))
    let before = try await cluster.samples("a")
    var generator = SystemRandomNumberGenerator()
    let start = ContinuousClock.now
    for index in 0..<forgedCount {
        let datagram: [UInt8]
        switch index % 4 {
        case 0: datagram = captured
        case 1:
            var tampered = captured
            tampered[Int.random(in: 0..<tampered.count, using: &generator)] ^= UInt8(1 << (index % 8))
            datagram = tampered
        case 2: datagram = try forger.seal(Envelope(sender: "ghost", bootEpoch: 9, sequence: UInt64(index), kind: .election, body: [1, 2, 3]))
        default: datagram = (0..<Int.random(in: 1...1_400, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        }
        try? socket.send(datagram, to: target)
        if index % 500 == 499 { try await Task.sleep(for: .milliseconds(1)) }
    }
    let sendSeconds = (ContinuousClock.now - start) / .seconds(1)
    try await Task.sleep(for: .seconds(2))
    let after = try await cluster.samples("a")
    func total(_ samples: [String: Double], _ prefix: String) -> Double { samples.filter { $0.key.hasPrefix(prefix) }.values.reduce(0, +) }
    let dropped = total(after, "vantage_datagrams_dropped_total") - total(before, "vantage_datagrams_dropped_total")
    let accepted = (after["vantage_datagrams_accepted_total"] ?? 0) - (before["vantage_datagrams_accepted_total"] ?? 0)
    return [
        Figure(name: "forged/replayed/tampered/random datagrams sent at the cluster port", value: Double(forgedCount), unit: "datagrams",
               note: String(format: "%.0f per second", Double(forgedCount) / sendSeconds)),
        Figure(name: "…of them dropped and counted by reason", value: dropped, unit: "datagrams",
               note: "the rest lost in the kernel's socket buffer"),
        Figure(name: "…of them accepted", value: accepted, unit: "datagrams", note: "goal 0; the captured original was accepted once, before"),
    ]
}

/// Three agents with DNS at the in-process fake; each run stops endpoint 2 and times the DELETE.
private func failoverFigures() async throws -> [Figure] {
    let endpoints = try ["127.0.0.1", "127.0.0.2", "127.0.0.3"].map { try LocalEndpoint(ip: $0) }
    defer { for endpoint in endpoints { endpoint.stop() } }
    let writes = Mutex<[(ContinuousClock.Instant, String)]>([])
    var settings = CloudflareFake.Settings(zones: ["bench.test"], tokens: ["bench-token"], globalKeys: [:])
    settings.onRequest = { request in if request.changedZone { writes.withLock { $0.append((.now, request.method)) } } }
    let fake = try CloudflareFake(settings: settings)
    for endpoint in endpoints { await fake.insert(zone: "bench.test", name: "www.bench.test", type: "A", content: endpoint.ip, ttl: 60) }
    let apiURL = try await fake.listen(on: SocketAddress("127.0.0.1:0")!)
    defer { Task { await fake.stop() } }
    let cluster = try BenchCluster(names: ["fra", "iad", "sin"], endpoints: endpoints, interval: "500ms", timeout: "300ms",
                                   dns: GeneratedAgentConfig.DNS(zone: "bench.test", hostname: "www.bench.test", apiURL: apiURL, tokenFile: "token"))
    defer { cluster.stop() }
    try cluster.start()
    try await Task.sleep(for: .seconds(5))
    var failovers: [Double] = [], recoveries: [Double] = []
    for _ in 0..<runs {
        let stopped = ContinuousClock.now
        endpoints[1].stop()
        guard let deleted = await waitForWrite("DELETE", after: stopped, in: writes) else { throw BenchFailure.missing("no DELETE within 10 s") }
        failovers.append((deleted - stopped) / .seconds(1))
        try await Task.sleep(for: .milliseconds(500))
        let started = ContinuousClock.now
        try endpoints[1].start()
        guard let created = await waitForWrite("POST", after: started, in: writes) else { throw BenchFailure.missing("no POST within 10 s") }
        recoveries.append((created - started) / .seconds(1))
        try await Task.sleep(for: .milliseconds(500))
    }
    let extra = writes.withLock { $0.count } - 2 * runs
    failovers.sort()
    recoveries.sort()
    return [
        Figure(name: "end-to-end failover, endpoint stopped → DELETE at the fake: p50", value: failovers[failovers.count / 2], unit: "s",
               note: "\(runs) runs; fall × interval = 3 × 500ms = 1.5 s; 3 agents, loopback"),
        Figure(name: "end-to-end failover: max", value: failovers.last!, unit: "s"),
        Figure(name: "end-to-end recovery, endpoint started → POST at the fake: p50", value: recoveries[recoveries.count / 2], unit: "s",
               note: "rise × interval = 2 × 500ms = 1 s"),
        Figure(name: "end-to-end recovery: max", value: recoveries.last!, unit: "s"),
        Figure(name: "writes beyond one delete and one create per run", value: Double(extra), unit: "writes", note: "goal 0"),
    ]
}

private func waitForWrite(_ method: String, after: ContinuousClock.Instant, in writes: borrowing Mutex<[(ContinuousClock.Instant, String)]>) async -> ContinuousClock.Instant? {
    let end = after + .seconds(10)
    while ContinuousClock.now < end {
        if let hit = writes.withLock({ $0.first { $0.0 >= after && $0.1 == method }?.0 }) { return hit }
        try? await Task.sleep(for: .milliseconds(2))
    }
    return nil
}

/// User plus system CPU seconds of process `pid` (`/proc/PID/stat` fields 14 and 15).
private func cpuSeconds(of pid: Int32) -> Double {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = text.lastIndex(of: ")") else { return 0 }
    let fields = text[text.index(after: close)...].split(separator: " ")
    guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
}


/// `vantage monitor --no-dry-run` processes with generated configs in a temporary directory.
final class BenchCluster: @unchecked Sendable {
    static var vantage: URL { URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("vantage") }

    let directory: URL
    let names: [String]
    let key = SecretKey.generate().base64EncodedString
    private(set) var clusterPorts: [String: UInt16] = [:]
    private(set) var statusPorts: [String: UInt16] = [:]
    private var processes: [String: Process] = [:]
    private let configs: [String: String]

    init(names: [String], endpoints: [LocalEndpoint], interval: String, timeout: String, voteInterval: String = "1s",
         dns: GeneratedAgentConfig.DNS?) throws {
        self.names = names
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vantage-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try key.write(to: directory.appendingPathComponent("cluster.key"), atomically: true, encoding: .utf8)
        try "bench-token".write(to: directory.appendingPathComponent("token"), atomically: true, encoding: .utf8)
        for name in names {
            clusterPorts[name] = try UDPSocket(binding: SocketAddress("127.0.0.1:0")!).localAddress.port
            let listener = try TCPListener(binding: SocketAddress("127.0.0.1:0")!)
            statusPorts[name] = listener.localAddress.port
            listener.close()
        }
        var configs: [String: String] = [:]
        for name in names {
            var config = GeneratedAgentConfig.loopback(cluster: "bench", node: name, clusterPorts: clusterPorts, statusPort: statusPorts[name]!,
                                             endpoints: endpoints.map { GeneratedAgentConfig.Endpoint(ip: $0.ip, port: $0.port) }, dns: dns)
            config.interval = interval
            config.timeout = timeout
            config.voteInterval = voteInterval
            configs[name] = config.text
        }
        self.configs = configs
    }

    /// Starts every agent, or only those named.
    func start(only: [String]? = nil) throws {
        for name in only ?? names {
            let path = directory.appendingPathComponent("\(name).toml").path
            try configs[name]!.write(toFile: path, atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = Self.vantage
            process.arguments = ["monitor", "--config", path, "--no-dry-run", "--log-level", "warning"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: { () -> String in
                let log = directory.appendingPathComponent("\(name).log").path
                _ = FileManager.default.createFile(atPath: log, contents: nil)
                return log
            }()))
            try process.run()
            processes[name] = process
        }
    }

    func pid(of name: String) -> Int32 { processes[name]!.processIdentifier }

    func get(_ name: String, _ path: String) async -> String? {
        let request = HTTPRequest(url: "http://127.0.0.1:\(statusPorts[name]!)\(path)", timeout: .seconds(2))
        guard case .success(let response) = await HTTPClient.shared.send(request), response.status == 200 else { return nil }
        return String(decoding: response.body, as: UTF8.self)
    }

    /// Counter and gauge samples of `name`'s `/metrics`, by series text.
    func samples(_ name: String) async throws -> [String: Double] {
        guard let text = await get(name, "/metrics") else { throw BenchFailure.missing("\(name)'s /metrics") }
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    /// The agent that says it leads with a lease, when exactly one does.
    func leader() async -> String? {
        var leaders: [String] = []
        for name in names {
            if let status = await get(name, "/status"), status.contains("\"role\" : \"leader\""), status.contains("\"lease_remaining_seconds\"") {
                leaders.append(name)
            }
        }
        return leaders.count == 1 ? leaders[0] : nil
    }

    func stop() {
        for process in processes.values where process.isRunning { kill(process.processIdentifier, SIGTERM) }
        for process in processes.values { process.waitUntilExit() }
        try? FileManager.default.removeItem(at: directory)
    }
}
