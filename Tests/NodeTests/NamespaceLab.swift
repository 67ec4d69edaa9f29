import DemoCLI
import Foundation
import Glibc
import HTTP
@testable import Node
import Wire

/// Three regions in network namespaces, joined over a bridge with WAN delays between them, every
/// part a real process of this build: one `vantage monitor --no-dry-run` per region namespace, the
/// endpoints (a listening TCP server per address) in one namespace, the Cloudflare fake in
/// another, and `vantage-delay-relay` in the bridge's namespace, through which all cluster
/// traffic goes. Needs root, `ip` and `iptables`.
///
/// ```
///   the test (root namespace) 10.77.0.1 ─┐
///   v-fra 10.77.0.11 ────────────────────┤
///   v-iad 10.77.0.12 ────────────────────┤  v-wan: the bridge vbr0, the relay on 10.77.0.2
///   v-sin 10.77.0.13 ────────────────────┤
///   v-ep  10.77.0.21, .22, .23 ──────────┤  the endpoints, TCP 80
///   v-api 10.77.0.30 ────────────────────┘  the Cloudflare fake, 8787
/// ```
///
/// Agent X's config names peer Y at the relay port of the directed link X→Y, which forwards to
/// Y's own address after the link's one-way delay; the transport accepts a datagram by the sealed
/// sender name, whatever its source address. The checks and the API calls go over the bridge
/// directly. A region is cut off from its peers by iptables rules in its namespace that drop UDP
/// to and from the relay; it still reaches the endpoints and the API (TCP).
final class NamespaceLab: @unchecked Sendable {
    static let regions = ["fra", "iad", "sin"]
    /// One-way delays in ms, the simulator's default WAN (`RegionLatency.threeRegionWAN`: RTT 90,
    /// 160 and 230 ms), regions in that order: fra–iad 45, fra–sin 80, iad–sin 115.
    static let oneWayMilliseconds = [[0, 45, 80], [45, 0, 115], [80, 115, 0]]
    static let hostAddress = "10.77.0.1", relayAddress = "10.77.0.2", apiAddress = "10.77.0.30"
    static let endpointAddresses = ["10.77.0.21", "10.77.0.22", "10.77.0.23"]
    static let clusterPort = 7946, statusPort = 8080, apiPort = 8787, endpointPort = 80
    static let namespaces = ["v-wan", "v-ep", "v-api"] + regions.map { "v-\($0)" }
    /// The root namespace's end of its veth to the bridge (its peer is in v-wan).
    static let hostLink = "vh-vantage"

    static func address(of region: String) -> String { "10.77.0.\(11 + regions.firstIndex(of: region)!)" }
    static func relayPort(from: Int, to: Int) -> Int { 9_000 + 10 * from + to }

    let directory: URL
    let key = SecretKey.generate().base64EncodedString
    let token = "netns-token-\(UInt64.random(in: 1 ... .max))"
    private(set) var relay: ChildProcess!
    private(set) var fake: ChildProcess!
    private(set) var endpoints: [ChildProcess?] = [nil, nil, nil]
    private(set) var agents: [String: ChildProcess] = [:]
    private var endpointStarts = 0

    // MARK: - Commands

    /// Runs a command to its end; its exit status and both output streams together.
    @discardableResult
    static func run(_ arguments: [String]) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        guard (try? process.run()) != nil else { return (-1, "cannot run \(arguments[0])") }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// Runs every command in order; the first that fails throws with what it said.
    static func runAll(_ commands: [[String]]) throws {
        for command in commands {
            let result = run(command)
            guard result.status == 0 else { throw HarnessError("`\(command.joined(separator: " "))` failed: \(result.output)") }
        }
    }

    /// Why this machine cannot run the lab, or nil: root, `ip` and `iptables` present, a
    /// namespace can be made and take an iptables rule, and — once what a crashed earlier run
    /// left behind is removed — nothing else routes 10.77.0.0/24.
    static func skipReason() -> String? {
        if getuid() != 0 { return "not root" }
        if run(["ip", "-V"]).status != 0 { return "no `ip` command (Debian package iproute2)" }
        if run(["iptables", "-V"]).status != 0 { return "no `iptables` command (Debian package iptables)" }
        let probe = "v-probe-\(getpid())"
        let made = run(["ip", "netns", "add", probe])
        guard made.status == 0 else { return "`ip netns add` failed: \(made.output)" }
        let rule = run(["ip", "netns", "exec", probe, "iptables"] + cutRules("A")[0])
        run(["ip", "netns", "del", probe])
        guard rule.status == 0 else { return "iptables in a namespace failed: \(rule.output)" }
        removeLeftovers()
        let routes = run(["ip", "route", "show", "10.77.0.0/24"]).output
        if !routes.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return "10.77.0.0/24 is already routed here: \(routes)" }
        return nil
    }

    /// Removes what a run left behind: its processes (every process in its namespaces), the
    /// namespaces and the host's veth. A run that crashed leaves them; a clean run leaves nothing.
    static func removeLeftovers() {
        let existing = Set(run(["ip", "netns", "list"]).output.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) })
        var killed: [pid_t] = []
        for namespace in namespaces where existing.contains(namespace) {
            for pid in run(["ip", "netns", "pids", namespace]).output.split(separator: "\n").compactMap({ pid_t($0) }) {
                kill(pid, SIGKILL)
                killed.append(pid)
            }
        }
        let end = ContinuousClock.now + .seconds(5)
        while killed.contains(where: { kill($0, 0) == 0 }), ContinuousClock.now < end { usleep(10_000) }
        for namespace in namespaces where existing.contains(namespace) { run(["ip", "netns", "del", namespace]) }
        if run(["ip", "link", "show", hostLink]).status == 0 { run(["ip", "link", "del", hostLink]) }
    }

    // MARK: - Building the lab

    init() throws {
        directory = try temporaryDirectory()
        try key.write(to: directory.appendingPathComponent("cluster.key"), atomically: true, encoding: .utf8)
        try (token + "\n").write(to: directory.appendingPathComponent("token"), atomically: true, encoding: .utf8)
    }

    /// The namespaces, the bridge and every veth, with their addresses.
    func buildNetwork() throws {
        var commands: [[String]] = [
            ["ip", "netns", "add", "v-wan"],
            ["ip", "-n", "v-wan", "link", "set", "lo", "up"],
            ["ip", "-n", "v-wan", "link", "add", "vbr0", "type", "bridge"],
            ["ip", "-n", "v-wan", "link", "set", "vbr0", "up"],
            ["ip", "-n", "v-wan", "addr", "add", "\(Self.relayAddress)/24", "dev", "vbr0"],
            ["ip", "link", "add", Self.hostLink, "type", "veth", "peer", "name", "vw-host", "netns", "v-wan"],
            ["ip", "-n", "v-wan", "link", "set", "vw-host", "master", "vbr0", "up"],
            ["ip", "addr", "add", "\(Self.hostAddress)/24", "dev", Self.hostLink],
            ["ip", "link", "set", Self.hostLink, "up"],
        ]
        let members = Self.regions.map { ("v-\($0)", [Self.address(of: $0)]) } + [("v-ep", Self.endpointAddresses), ("v-api", [Self.apiAddress])]
        for (namespace, addresses) in members {
            let bridgeSide = "vw-" + namespace.dropFirst(2)
            commands += [
                ["ip", "netns", "add", namespace],
                ["ip", "-n", namespace, "link", "set", "lo", "up"],
                ["ip", "-n", "v-wan", "link", "add", bridgeSide, "type", "veth", "peer", "name", "eth0", "netns", namespace],
                ["ip", "-n", "v-wan", "link", "set", bridgeSide, "master", "vbr0", "up"],
                ["ip", "-n", namespace, "link", "set", "eth0", "up"],
            ] + addresses.map { ["ip", "-n", namespace, "addr", "add", "\($0)/24", "dev", "eth0"] }
        }
        try Self.runAll(commands)
    }

    /// A process of this build started inside `namespace`: `ip netns exec` execs it in place, so
    /// the child's pid is the program's own.
    private func spawn(_ namespace: String, _ program: String, _ arguments: [String], log: String) throws -> ChildProcess {
        try ChildProcess(URL(fileURLWithPath: "/usr/bin/env"),
                         ["ip", "netns", "exec", namespace, MonitorCluster.buildDirectory.appendingPathComponent(program).path] + arguments,
                         log: directory.appendingPathComponent(log).path)
    }

    private func waitFor(_ process: ChildProcess, toSay text: String, _ what: String) async throws {
        guard await eventually(within: 10, { process.output.contains(text) }) else {
            throw HarnessError("\(what) did not start: \(process.output)")
        }
    }

    /// Starts the relay, the endpoints, the fake (one record per endpoint) and the three agents.
    func startProcesses() async throws {
        var pairs: [String] = []
        for (from, _) in Self.regions.enumerated() {
            for (to, target) in Self.regions.enumerated() where to != from {
                pairs += ["--pair", "\(Self.relayAddress):\(Self.relayPort(from: from, to: to))=\(Self.address(of: target)):\(Self.clusterPort)@\(Self.oneWayMilliseconds[from][to])"]
            }
        }
        relay = try spawn("v-wan", "vantage-delay-relay", pairs, log: "relay.log")
        try await waitFor(relay, toSay: "relay: forwarding", "the relay")

        for index in Self.endpointAddresses.indices { try await startEndpoint(index) }

        var arguments = ["--listen", "\(Self.apiAddress):\(Self.apiPort)", "--zone", MonitorCluster.zone, "--token", token, "--log-requests"]
        for address in Self.endpointAddresses { arguments += ["--record", "\(MonitorCluster.hostname)=\(address)"] }
        if let spec = MonitorCluster.specificationPath { arguments += ["--spec", spec] }
        fake = try spawn("v-api", "vantage-cloudflare-fake", arguments, log: "fake.log")
        try await waitFor(fake, toSay: "serving", "the fake")

        for region in Self.regions {
            let path = directory.appendingPathComponent("\(region).toml").path
            try config(of: region).write(toFile: path, atomically: true, encoding: .utf8)
            agents[region] = try spawn("v-\(region)", "vantage", ["monitor", "--config", path, "--no-dry-run", "--log-format", "json"], log: "\(region).log")
        }
    }

    /// An endpoint: any listening TCP server passes a TCP check without send/expect, so the fake
    /// process (already in the build) serves as one.
    private func startEndpoint(_ index: Int) async throws {
        endpointStarts += 1
        let endpoint = try spawn("v-ep", "vantage-cloudflare-fake", ["--listen", "\(Self.endpointAddresses[index]):\(Self.endpointPort)"],
                                 log: "endpoint-\(index)-\(endpointStarts).log")
        endpoints[index] = endpoint
        try await waitFor(endpoint, toSay: "serving", "endpoint \(Self.endpointAddresses[index])")
    }

    /// How an endpoint fails: its process killed, so the next connect is refused at once, or its
    /// address silent (TCP to it dropped in its namespace), so connects time out — how endpoints
    /// fail in the simulator.
    enum EndpointFailure: CaseIterable {
        case killed, silent
    }

    private static func silenceRule(_ action: String, _ index: Int) -> [String] {
        ["ip", "netns", "exec", "v-ep", "iptables", "-\(action)", "INPUT", "-p", "tcp", "-d", endpointAddresses[index], "-j", "DROP"]
    }

    /// Makes endpoint `index` fail the agents' checks from now on.
    func fail(endpoint index: Int, _ failure: EndpointFailure) throws {
        switch failure {
        case .killed:
            endpoints[index]?.kill()
            endpoints[index] = nil
        case .silent:
            try Self.runAll([Self.silenceRule("A", index)])
        }
    }

    /// Undoes `fail(endpoint: index, failure)`: the endpoint answers again.
    func recover(endpoint index: Int, _ failure: EndpointFailure) async throws {
        switch failure {
        case .killed: try await startEndpoint(index)
        case .silent: try Self.runAll([Self.silenceRule("D", index)])
        }
    }

    /// The region agent's configuration: every endpoint checked every 500 ms (timeout 300 ms,
    /// fall 3, rise 2), votes every second, the fake as the Cloudflare API.
    private func config(of region: String) -> String {
        let from = Self.regions.firstIndex(of: region)!
        let peers = Dictionary(uniqueKeysWithValues: Self.regions.enumerated().filter { $0.offset != from }
            .map { ($0.element, "\(Self.relayAddress):\(Self.relayPort(from: from, to: $0.offset))") })
        return GeneratedAgentConfig(
            cluster: "netns", node: region, bind: "\(Self.address(of: region)):\(Self.clusterPort)", peers: peers,
            statusAddress: "\(Self.address(of: region)):\(Self.statusPort)",
            endpoints: Self.endpointAddresses.map { GeneratedAgentConfig.Endpoint(ip: $0, port: UInt16(Self.endpointPort)) },
            dns: GeneratedAgentConfig.DNS(zone: MonitorCluster.zone, hostname: MonitorCluster.hostname,
                                          apiURL: "http://\(Self.apiAddress):\(Self.apiPort)/client/v4", tokenFile: "token")).text
    }

    // MARK: - Cutting a region off

    private static func cutRules(_ action: String) -> [[String]] {
        [["-\(action)", "OUTPUT", "-p", "udp", "-d", relayAddress, "-j", "DROP"],
         ["-\(action)", "INPUT", "-p", "udp", "-s", relayAddress, "-j", "DROP"]]
    }

    /// Drops the region's cluster datagrams both ways; its TCP (checks, API, status) still flows.
    func cut(_ region: String) throws {
        try Self.runAll(Self.cutRules("A").map { ["ip", "netns", "exec", "v-\(region)", "iptables"] + $0 })
    }

    /// Removes the rules `cut` added.
    func heal(_ region: String) throws {
        try Self.runAll(Self.cutRules("D").map { ["ip", "netns", "exec", "v-\(region)", "iptables"] + $0 })
    }

    // MARK: - Reading the agents and the fake

    func status(of region: String) async -> StatusReport? {
        let request = HTTPRequest(url: "http://\(Self.address(of: region)):\(Self.statusPort)/status", timeout: .seconds(2))
        guard case .success(let response) = await HTTPClient.shared.send(request), response.status == 200 else { return nil }
        return try? StatusReport.decoder.decode(StatusReport.self, from: Data(response.body))
    }

    /// The region among `among` that leads with a valid lease, when exactly one says so.
    func leader(among: [String] = regions) async -> String? {
        var leaders: [String] = []
        for region in among {
            if let report = await status(of: region), report.role == "leader", report.leaseRemainingSeconds != nil { leaders.append(region) }
        }
        return leaders.count == 1 ? leaders[0] : nil
    }

    /// The fake's request lines that changed the zone, in order.
    var writes: [String] { fake.lines.filter { $0.hasPrefix("request ") && $0.contains(" write=yes ") } }

    /// Writes per `from=` source address among `lines`.
    static func writesBySource(_ lines: [String]) -> [String: Int] {
        lines.reduce(into: [:]) { counts, line in
            guard let range = line.range(of: " from=") else { return }
            counts[String(line[range.upperBound...].prefix { $0 != " " }), default: 0] += 1
        }
    }

    /// Polls the fake's log every 5 ms until the write count exceeds `count`; the moment the new
    /// write was seen and its line, or nil after `seconds`.
    func nextWrite(after count: Int, within seconds: Double) async -> (seen: ContinuousClock.Instant, line: String)? {
        let end = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < end {
            let lines = writes
            if lines.count > count { return (.now, lines[count]) }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return nil
    }

    /// Stops the relay with SIGTERM and returns its report (one line per link and a total).
    func stopRelay() async -> [String] {
        relay.signal(SIGTERM)
        _ = await relay.waitForExit(within: 5)
        return relay.lines.filter { $0.hasPrefix("relay: ") && !$0.hasPrefix("relay: forwarding") }
    }

    /// Every agent's log, for a failure message.
    var agentLogs: String { agents.sorted { $0.key < $1.key }.map { "--- \($0.key)\n\($0.value.output)" }.joined(separator: "\n") }

    /// Stops every process, removes the namespaces (the veths and the bridge go with them) and
    /// the directory.
    func tearDown() {
        for agent in agents.values { agent.kill() }
        for endpoint in endpoints { endpoint?.kill() }
        fake?.kill()
        relay?.kill()
        Self.removeLeftovers()
        try? FileManager.default.removeItem(at: directory)
    }
}
