import CloudflareFake
import Foundation
import HTTP
import IO
import Node
import Synchronization
import Wire

/// Everything the demo runs besides the agents: a temporary directory with the generated key,
/// token and configs, three endpoints on 127.0.0.1–3, the in-process Cloudflare fake (without
/// request validation: the published API description is not part of the repository), and the
/// ports, each preferred port replaced by a free one (and said so) when busy.
final class DemoSetup: @unchecked Sendable {
    let directory: URL
    let timeline: DemoTimeline
    let endpoints: [LocalEndpoint]
    let agents: DemoAgents
    private(set) var statusAddresses: [String] = []
    private var fake: CloudflareFake?
    private let token = "demo-token-\(UInt64.random(in: 1 ... .max))"

    init(timeline: DemoTimeline) throws {
        self.timeline = timeline
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vantage-demo-\(getpid())")
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        endpoints = try DemoCommand.endpointIPs.map { try LocalEndpoint(ip: $0) }
        agents = DemoAgents(timeline: timeline)
    }

    /// Starts the fake, writes the configs and starts the agents.
    func start() async throws {
        var settings = CloudflareFake.Settings(zones: [DemoCommand.zone], tokens: [token], globalKeys: [:])
        let timeline = timeline
        settings.onRequest = { request in
            guard request.changedZone else { return }
            let agent = request.userAgent?.split(separator: " ").last.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ")")) } ?? "?"
            let what = request.method == "DELETE" ? "record deleted" : "record created"
            let path = request.target.split(separator: "?")[0]
            let resource = path.range(of: "/dns_records").map { String(path[$0.lowerBound...]) } ?? String(path)
            timeline.note("api", "\(request.method) …\(resource) -> \(request.status.map(String.init) ?? "no answer"): \(what) (by \(agent))",
                          event: "api.write")
        }
        let fake = try CloudflareFake(settings: settings)
        self.fake = fake
        for endpoint in endpoints {
            await fake.insert(zone: DemoCommand.zone, name: DemoCommand.hostname, type: "A", content: endpoint.ip, ttl: 60)
        }
        let apiURL = try await fake.listen(on: SocketAddress("127.0.0.1:\(try port(preferring: 18787, udp: false, for: "the API fake"))")!)
        let key = SecretKey.generate().base64EncodedString
        try key.write(to: directory.appendingPathComponent("cluster.key"), atomically: true, encoding: .utf8)
        try token.write(to: directory.appendingPathComponent("cloudflare-token"), atomically: true, encoding: .utf8)
        var clusterPorts: [String: UInt16] = [:], statusPorts: [String: UInt16] = [:]
        for (index, name) in DemoCommand.names.enumerated() {
            clusterPorts[name] = try port(preferring: UInt16(17946 + index), udp: true, for: "\(name)'s cluster port")
            statusPorts[name] = try port(preferring: UInt16(19946 + index), udp: false, for: "\(name)'s status port")
        }
        for name in DemoCommand.names {
            let path = directory.appendingPathComponent("\(name).toml").path
            try config(name, clusterPorts: clusterPorts, statusPort: statusPorts[name]!, apiURL: apiURL)
                .write(toFile: path, atomically: true, encoding: .utf8)
            statusAddresses.append("127.0.0.1:\(statusPorts[name]!)")
            try agents.start(name, configPath: path, statusAddress: statusAddresses.last!, directory: directory)
        }
    }

    /// The addresses of the demo name at the fake, sorted.
    func zone() async -> [String] {
        await fake?.records(in: DemoCommand.zone).filter { $0.name == DemoCommand.hostname }.map(\.content).sorted() ?? []
    }

    /// Prints why the demo failed and where the logs are; exit status 1.
    func fail(_ reason: String) -> Int32 {
        timeline.say("\nvantage demo failed: \(reason)")
        return 1
    }

    func tearDown() {
        agents.stop()
        Task { [fake] in await fake?.stop() }
        for endpoint in endpoints { endpoint.stop() }
        try? FileManager.default.removeItem(at: directory)
    }

    /// `preferred` when it is free, else a free port chosen by the kernel (and said so).
    private func port(preferring preferred: UInt16, udp: Bool, for use: String) throws -> UInt16 {
        let wanted = SocketAddress("127.0.0.1:\(preferred)")!
        if udp, let socket = try? UDPSocket(binding: wanted) {
            _ = socket
            return preferred
        }
        if !udp, let listener = try? TCPListener(binding: wanted) {
            listener.close()
            return preferred
        }
        let any = SocketAddress("127.0.0.1:0")!
        let chosen = udp ? try UDPSocket(binding: any).localAddress.port : try { () throws -> UInt16 in
            let listener = try TCPListener(binding: any)
            defer { listener.close() }
            return listener.localAddress.port
        }()
        timeline.note("demo", "port \(preferred) (\(use)) is busy; using \(chosen)")
        return chosen
    }

    private func config(_ name: String, clusterPorts: [String: UInt16], statusPort: UInt16, apiURL: String) -> String {
        GeneratedAgentConfig.loopback(cluster: "demo", node: name, clusterPorts: clusterPorts, statusPort: statusPort,
                            endpoints: endpoints.map { GeneratedAgentConfig.Endpoint(ip: $0.ip, port: $0.port) },
                            dns: GeneratedAgentConfig.DNS(zone: DemoCommand.zone, hostname: DemoCommand.hostname, apiURL: apiURL,
                                                         tokenFile: "cloudflare-token")).text
    }
}

