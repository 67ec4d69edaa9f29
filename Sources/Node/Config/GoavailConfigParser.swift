import Cloudflare
import IO
import Foundation
import TOML
import Wire

/// Reads an unchanged goavail.toml (flat `ip_addresses`, `failure_threshold`, `interval`, `port`,
/// `slack_addr`; `[Members]`; `[Cloudflare]`) into the same model, warning wherever goavail's
/// meaning differs from Vantage's.
struct GoavailConfigParser {
    let root: TableReader
    let files: ConfigFiles
    var locations = FieldLocations()

    /// goavail's default membership port (memberlist's).
    static let defaultMembersPort = 7946

    init(_ document: TOMLTable, log: DiagnosticLog, files: ConfigFiles) {
        root = TableReader(document, path: "", log: log)
        self.files = files
    }

    /// Whether `document` is a goavail.toml rather than a vantage.toml.
    static func recognizes(_ document: TOMLTable) -> Bool {
        document["cluster"] == nil && (document["Members"] != nil || document["Cloudflare"] != nil || document["failure_threshold"] != nil)
    }

    mutating func parse() -> VantageConfig? {
        let addresses = root.strings("ip_addresses") ?? []
        for address in addresses where !Names.isIPAddress(address) { root.error("ip_addresses", "'\(address)' is not a numeric IP address") }
        let threshold = root.integer("failure_threshold", in: 1...100) ?? 2
        if root.has("failure_threshold") {
            root.warning("failure_threshold", "goavail acted on miss \(threshold + 1) (the N+1-th); Vantage counts exactly, so fall = \(threshold + 1) keeps the same timing")
        }
        let interval = root.value("interval", expected: "a duration (\"5s\") or whole seconds") { raw -> Duration? in
            switch raw {
            case .string(let text): DurationText.parse(text)
            case .integer(let seconds) where seconds > 0: .seconds(seconds)
            default: nil
            }
        } ?? .seconds(1)
        let port = root.integer("port", in: 1...65_535)
        if port == nil, !root.has("port") { root.error("port", "missing: the TCP port goavail checked on every address") }
        let slack = root.string("slack_addr")
        if let slack, !Names.isWebURL(slack) { root.error("slack_addr", "'\(slack)' is not an http(s) URL") }

        let members = root.table("Members")
        if members == nil, !root.has("Members") { root.error("Members", "missing [Members] table") }
        let cluster = members.flatMap { parseMembers($0) }
        let dns = root.table("Cloudflare").flatMap { parseCloudflare($0, pool: addresses) }
        root.finish()
        locations.record("checks", root, "ip_addresses")

        // goavail timed out a check after the interval; keep the timeout inside it.
        let timeout = min(.milliseconds(800), interval * 0.8)
        let checks = addresses.filter(Names.isIPAddress).map { address in
            VantageConfig.Check(name: "tcp \(address):\(port ?? 0)", kind: .tcp, address: address, port: port,
                                interval: interval, timeout: timeout, rise: 2, fall: threshold + 1,
                                send: nil, expect: nil, http: nil)
        }
        for offset in checks.indices {
            locations.record("check[\(offset + 1)].timeout", root, "interval")
            locations.record("check[\(offset + 1)].name", root, "ip_addresses")
        }
        guard let cluster, port != nil else { return nil }
        return VantageConfig(cluster: cluster, checks: checks, dns: dns, notify: VantageConfig.Notify(webhookURL: slack))
    }

    private mutating func parseMembers(_ table: TableReader) -> VantageConfig.Cluster? {
        defer { table.finish() }
        let port = table.integer("members_port", in: 1...65_535) ?? Self.defaultMembersPort
        let local = table.string("local_addr")
        if local == nil, !table.has("local_addr") { table.error("local_addr", "missing: this agent's address") }
        if let local, !Names.isIPAddress(local) { table.error("local_addr", "'\(local)' is not a numeric IP address") }
        var peers: [VantageConfig.Peer] = []
        for entry in table.strings("peers") ?? [] {
            // goavail peers are host or host:port; Vantage names each after its address.
            let address = SocketAddress(entry) ?? SocketAddress.parseIP(entry).map { SocketAddress(ip: $0, port: UInt16(port)) }
            guard let address else {
                table.error("peers", "'\(entry)' is not a numeric address or address:port")
                continue
            }
            peers.append(VantageConfig.Peer(name: Self.name(for: address), address: address))
        }
        locations.record("cluster.peers", table, "peers")
        let minPeersAgree = table.integer("min_peers_agree", in: 0...1_000) ?? 1
        locations.record("cluster.min_peers_agree", table, "min_peers_agree")
        if table.has("min_peers_agree") {
            table.warning("min_peers_agree", "goavail compared a net sum of up and down votes; Vantage needs \(minPeersAgree) peers to agree with the observer (\(minPeersAgree + 1) agents)")
        }
        let legacyKey = table.string("crypto_key")
        if legacyKey == nil { table.error("crypto_key", "missing: the cluster key") }
        if legacyKey != nil {
            table.warning("crypto_key", "goavail's raw AES key is stretched into a cluster key with BLAKE2b so this file keeps working; replace it with a `vantage keygen` key in crypto_key_file")
        }
        guard let local, let ip = SocketAddress.parseIP(local), let legacyKey else { return nil }
        let advertise = SocketAddress(ip: ip, port: UInt16(port))
        return VantageConfig.Cluster(
            name: "goavail", node: Self.name(for: advertise), bind: advertise, advertise: advertise, peers: peers,
            minPeersAgree: minPeersAgree,
            encryption: .sealed(primary: SecretKey.derived(fromLegacyKey: legacyKey), older: [], source: .goavail),
            dataDirectory: "/var/lib/vantage", statusAddress: SocketAddress("127.0.0.1:9946")!,
            voteTTL: .seconds(30), reconcileInterval: .seconds(30))
    }

    private mutating func parseCloudflare(_ table: TableReader, pool: [String]) -> VantageConfig.DNS? {
        defer { table.finish() }
        let zone = table.string("dns_domain")
        if zone == nil, !table.has("dns_domain") { table.error("dns_domain", "missing: the Cloudflare zone") }
        if let zone, !Names.isHostname(zone) { table.error("dns_domain", "'\(zone)' is not a valid domain") }
        // goavail hostnames may be relative to the zone ("www") or fully qualified.
        let hostnames = (table.strings("hostnames") ?? []).map { name in
            guard let zone, name != zone, !name.hasSuffix("." + zone) else { return name }
            return "\(name).\(zone)"
        }
        if hostnames.isEmpty { table.error("hostnames", "list at least one host name") }
        for name in hostnames where !Names.isHostname(name) { table.error("hostnames", "'\(name)' is not a valid host name") }
        locations.record("dns.hostnames", table, "hostnames")
        let addresses = table.strings("ip_addresses") ?? pool
        for address in addresses where !Names.isIPAddress(address) { table.error("ip_addresses", "'\(address)' is not a numeric IP address") }
        locations.record("dns.addresses", table, table.has("ip_addresses") ? "ip_addresses" : "hostnames")
        let proxied = table.bool("dns_proxied") ?? false
        table.warning("dns_domain", "credentials come from CF_API_EMAIL and CF_API_KEY as in goavail; a scoped API token (api_token_env) is safer")
        guard let zone else { return nil }
        return VantageConfig.DNS(provider: "cloudflare", zone: zone, hostnames: hostnames, addresses: addresses, proxied: proxied,
                                 ttl: 1, credentials: .globalKeyEnvironment(email: "CF_API_EMAIL", key: "CF_API_KEY"),
                                 apiBaseURL: Cloudflare.defaultBaseURL)
    }

    /// A peer's name derived from its address (`10.0.0.2-7946`), since goavail peers had none.
    static func name(for address: SocketAddress) -> String {
        address.description.filter { $0 != "[" && $0 != "]" }.replacingOccurrences(of: ":", with: "-")
    }
}
