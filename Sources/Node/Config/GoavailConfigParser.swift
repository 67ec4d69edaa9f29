import Cloudflare
import IO
import TOML
import Wire

/// Reads an unchanged goavail.toml of any goavail version into the same model, warning (with the
/// line) wherever goavail's meaning differs from Vantage's.
///
/// goavail's file changed over its history: the first kept every key at the top level
/// (`ip_addresses`, `dns_domain`, `hostnames`, `dns_proxied`, `peers`, `local_addr`,
/// `members_port`); later ones moved them into `[Members]` and `[Cloudflare]`, added `[Route53]`,
/// `interval` and `slack_addr`, and replaced `port` with `ports`. Every one of those keys is read
/// here, so none is reported as unknown. The check type and the DNS provider were command-line
/// flags; they arrive as `GoavailOptions`.
struct GoavailConfigParser {
    let root: TableReader
    let files: ConfigFiles
    let options: GoavailOptions
    var locations = FieldLocations()

    /// memberlist's default port: goavail's when neither `local_addr` nor `members_port` names one.
    static let defaultMembersPort = 7946

    /// The top-level keys of every goavail version; a vantage.toml has none of them.
    static let rootKeys = ["Members", "Cloudflare", "Route53", "failure_threshold", "interval", "port", "ports", "slack_addr",
                           "ip_addresses", "dns_domain", "hostnames", "dns_proxied", "peers", "local_addr", "members_port"]

    init(_ document: TOMLTable, log: DiagnosticLog, files: ConfigFiles, options: GoavailOptions) {
        root = TableReader(document, path: "", log: log)
        self.files = files
        self.options = options
    }

    /// Whether `document` is a goavail.toml rather than a vantage.toml.
    static func recognizes(_ document: TOMLTable) -> Bool {
        document["cluster"] == nil && rootKeys.contains { document[$0] != nil }
    }

    mutating func parse() -> VantageConfig? {
        let threshold = root.integer("failure_threshold", in: 0...99)
        if let threshold {
            root.warning("failure_threshold", "goavail changed state on the miss (and the success) after \(threshold) in a row, number \(threshold + 1); Vantage counts exactly, so fall = rise = \(threshold + 1) keeps the same timing")
        }
        let interval = root.value("interval", expected: "whole seconds (goavail's form) or a duration (\"5s\")") { raw -> Duration? in
            switch raw {
            case .string(let text): DurationText.parse(text)
            case .integer(let seconds) where seconds > 0: .seconds(seconds)
            default: nil
            }
        } ?? .seconds(1)
        let ports = parsePorts()
        let slack = root.string("slack_addr")
        if let slack, !Names.isWebURL(slack) { root.error("slack_addr", "'\(slack)' is not an http(s) URL") }

        // The oldest goavail kept the [Members] and [Cloudflare] keys at the top level.
        let members = root.table("Members"), cloudflare = root.table("Cloudflare")
        let cluster = parseMembers(members ?? root)
        if let route53 = root.table("Route53") { readRoute53(route53) }
        if options.provider == .route53 {
            root.error("Route53", "-p route53 asks for Route 53, which Vantage cannot write yet; run with -p cloudflare (goavail's default) and a [Cloudflare] table")
        }
        let dnsTable = cloudflare ?? root
        let pool = addresses(dnsTable)
        // A file with both a top-level list and [Cloudflare] ip_addresses: goavail checked the latter.
        let extra = cloudflare == nil ? [] : addresses(root)
        let observed = pool + extra.filter { !pool.contains($0) }
        let dns = parseCloudflare(dnsTable, pool: pool)
        members?.finish()
        cloudflare?.finish()
        root.finish()
        if dnsTable.table["ip_addresses"] == nil {
            dnsTable.error("ip_addresses", "missing: the addresses goavail monitored")
        } else if dnsTable.table["ip_addresses"] == .array([]) {
            dnsTable.error("ip_addresses", "list at least one address to monitor")
        }

        // A run must end before the next one starts; goavail's ping waited up to the interval.
        let timeout = min(.milliseconds(800), interval * 0.8)
        let (rise, fall) = threshold.map { ($0 + 1, $0 + 1) } ?? (2, 3)
        var checks: [VantageConfig.Check] = []
        for address in observed {
            let targets: [(kind: VantageConfig.CheckKind, port: Int?)] = options.checkType == .tcp ? ports.map { (.tcp, $0) } : [(.icmp, nil)]
            for target in targets {
                checks.append(VantageConfig.Check(
                    name: "\(target.kind.rawValue) \(address)\(target.port.map { ":\($0)" } ?? "")", kind: target.kind, address: address,
                    port: target.port, interval: interval, timeout: timeout, rise: rise, fall: fall, send: nil, expect: nil, http: nil))
            }
        }
        for offset in checks.indices {
            locations.record("check[\(offset + 1)].timeout", root, "interval")
            locations.record("check[\(offset + 1)].name", dnsTable, "ip_addresses")
        }
        guard let cluster else { return nil }
        return VantageConfig(cluster: cluster, checks: checks, dns: dns, notify: VantageConfig.Notify(webhookURL: slack))
    }

    /// `port` (older goavail) and `ports` (newer), which only `-t tcp` connects to.
    private func parsePorts() -> [Int] {
        let single = root.integer("port", in: 1...65_535)
        let list = root.value("ports", expected: "an array of ports from 1 to 65535") { raw -> [Int]? in
            guard case .array(let items) = raw else { return nil }
            let ports = items.compactMap { item -> Int? in
                if case .integer(let port) = item, (1...65_535).contains(port) { Int(port) } else { nil }
            }
            return ports.count == items.count && !ports.isEmpty ? ports : nil
        }
        var ports = single.map { [$0] } ?? []
        for port in list ?? [] where !ports.contains(port) { ports.append(port) }
        if options.checkType == .tcp {
            if !root.has("port"), !root.has("ports") {
                root.error("ports", "missing: -t tcp connects to each of `ports` (or `port`) on every address")
            }
        } else {
            for key in ["port", "ports"] where root.has(key) {
                root.warning(key, "used only with -t tcp; without it goavail pinged every address (ICMP), and so does Vantage")
            }
        }
        return ports
    }

    /// The numeric addresses of `table`'s `ip_addresses`; any other entry is an error.
    private func addresses(_ table: TableReader) -> [String] {
        let entries = table.strings("ip_addresses") ?? []
        for address in entries where !Names.isIPAddress(address) { table.error("ip_addresses", "'\(address)' is not a numeric IP address") }
        return entries.filter(Names.isIPAddress)
    }

    private mutating func parseMembers(_ table: TableReader) -> VantageConfig.Cluster? {
        let membersPort = table.integer("members_port", in: 1...65_535)
        let localText = table.string("local_addr")
        // local_addr is `ip` or `ip:port`; members_port gives the port when it has none.
        var local: SocketAddress?
        if let localText {
            local = SocketAddress(localText) ?? SocketAddress.parseIP(localText).map {
                SocketAddress(ip: $0, port: UInt16(membersPort ?? Self.defaultMembersPort))
            }
            if local == nil { table.error("local_addr", "'\(localText)' is not a numeric IP address or address:port") }
            if let local, membersPort != nil, SocketAddress(localText) != nil {
                table.warning("members_port", "not used: Vantage carries membership and votes on one UDP port, local_addr's \(local.port)")
            }
        }
        let port = local?.port ?? UInt16(membersPort ?? Self.defaultMembersPort)
        var peers: [VantageConfig.Peer] = []
        for entry in table.strings("peers") ?? [] {
            // Peers are `ip:port` (or a bare ip on this agent's port); each is named after its address.
            guard let address = SocketAddress(entry) ?? SocketAddress.parseIP(entry).map({ SocketAddress(ip: $0, port: port) }) else {
                table.error("peers", "'\(entry)' is not a numeric address:port")
                continue
            }
            peers.append(VantageConfig.Peer(name: Self.name(for: address), address: address))
        }
        locations.record("cluster.peers", table, "peers")
        if localText == nil, !table.has("local_addr") {
            if peers.isEmpty {
                table.warning("local_addr", "no local_addr and no peers: a single agent that decides alone, as goavail's single-node mode")
            } else {
                table.error("local_addr", "missing: this agent's address (ip or ip:port), which goavail's cluster mode needed beside peers")
            }
        }
        let minPeersAgree = table.integer("min_peers_agree", in: 0...1_000) ?? min(1, peers.count)
        locations.record("cluster.min_peers_agree", table, "min_peers_agree")
        if table.has("min_peers_agree") {
            table.warning("min_peers_agree", "goavail compared a net sum of up and down votes; Vantage needs \(minPeersAgree) peer\(minPeersAgree == 1 ? "" : "s") to agree with the observer (\(minPeersAgree + 1) agents)")
        }
        let encryption: VantageConfig.Encryption
        if let legacyKey = table.string("crypto_key") {
            table.warning("crypto_key", "goavail's raw AES key is stretched into a cluster key with BLAKE2b so this file keeps working; replace it with a `vantage keygen` key in crypto_key_file")
            encryption = .sealed(primary: VantageConfig.ClusterKey(SecretKey.derived(fromLegacyKey: legacyKey), from: .goavail), older: [])
        } else if peers.isEmpty {
            encryption = .insecure  // a lone agent has nobody to talk to, and accepts nobody
        } else {
            table.error("crypto_key", "missing: goavail's cluster ran unencrypted without it, but Vantage seals every datagram; set crypto_key (or move to a vantage.toml with crypto_key_file)")
            return nil
        }
        guard localText == nil || local != nil else { return nil }
        let address = local ?? SocketAddress(ip: [0, 0, 0, 0], port: port)
        return VantageConfig.Cluster(
            name: "goavail", node: Self.name(for: address), bind: address, advertise: address, peers: peers,
            minPeersAgree: minPeersAgree, encryption: encryption, dataDirectory: "/var/lib/vantage",
            statusAddress: SocketAddress("127.0.0.1:9946")!, voteInterval: .seconds(5), voteTTL: .seconds(30),
            reconcileInterval: .seconds(30))
    }

    /// goavail's second provider: accepted and warned about, refused only when asked for.
    private func readRoute53(_ table: TableReader) {
        for key in ["aws_domain", "aws_region", "aws_zoneid", "ttl", "hostnames", "ip_addresses"] { _ = table.has(key) }
        table.finish()
        if options.provider != .route53 {
            root.warning("Route53", "not used: Vantage has no Route 53 provider yet (goavail read this table only with -p route53)")
        }
    }

    /// `[Cloudflare]` (or its keys at the top level); nil, with a warning, when there are none.
    private mutating func parseCloudflare(_ table: TableReader, pool: [String]) -> VantageConfig.DNS? {
        let zone = table.string("dns_domain")
        if zone == nil, !table.has("dns_domain") {
            if table === root, !root.has("hostnames") {
                root.warning("Cloudflare", "no [Cloudflare] table: this agent checks and votes but never writes DNS")
                _ = root.has("dns_proxied")
                return nil
            }
            table.error("dns_domain", "missing: the Cloudflare zone")
        }
        if let zone, !Names.isHostname(zone) { table.error("dns_domain", "'\(zone)' is not a valid domain") }
        // goavail hostnames may be relative to the zone ("www") or fully qualified.
        let hostnames = (table.strings("hostnames") ?? []).map { name in
            guard let zone, name != zone, !name.hasSuffix("." + zone) else { return name }
            return "\(name).\(zone)"
        }
        if hostnames.isEmpty { table.error("hostnames", "list at least one host name") }
        for name in hostnames where !Names.isHostname(name) { table.error("hostnames", "'\(name)' is not a valid host name") }
        locations.record("dns.hostnames", table, "hostnames")
        locations.record("dns.addresses", table, "ip_addresses")
        let proxied = table.bool("dns_proxied") ?? false
        let unset = ["CF_API_EMAIL", "CF_API_KEY"].filter { files.environment[$0] == nil }
        if !unset.isEmpty {
            table.warning("dns_domain", "environment variable\(unset.count == 1 ? "" : "s") \(unset.joined(separator: " and ")) \(unset.count == 1 ? "is" : "are") not set here (goavail's Cloudflare credentials)")
        }
        table.warning("dns_domain", "credentials come from CF_API_EMAIL and CF_API_KEY as in goavail; a scoped API token (api_token_env) is safer")
        guard let zone else { return nil }
        return VantageConfig.DNS(provider: "cloudflare", zone: zone, hostnames: hostnames, addresses: pool, proxied: proxied,
                                 ttl: 1, credentials: .globalKeyEnvironment(email: "CF_API_EMAIL", key: "CF_API_KEY"),
                                 apiBaseURL: Cloudflare.defaultBaseURL)
    }

    /// A peer's name derived from its address (`10.0.0.2-7946`), since goavail peers had none.
    static func name(for address: SocketAddress) -> String {
        address.description.filter { $0 != "[" && $0 != "]" }.replacingOccurrences(of: ":", with: "-")
    }
}
