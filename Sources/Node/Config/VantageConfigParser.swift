import Cloudflare
import IO
import TOML
import Wire

/// Reads the native `vantage.toml` format into a `VantageConfig`, logging a positioned error for
/// every missing, mistyped, out-of-range or unknown key. Rules that involve several fields are
/// checked afterwards, on the model, by `ConfigValidation`.
struct VantageConfigParser {
    let root: TableReader
    let files: ConfigFiles
    var locations = FieldLocations()

    init(_ document: TOMLTable, log: DiagnosticLog, files: ConfigFiles) {
        root = TableReader(document, path: "", log: log)
        self.files = files
    }

    /// The model, or nil when a required part could not be read (the log says why).
    mutating func parse() -> VantageConfig? {
        let clusterTable = root.table("cluster")
        if clusterTable == nil, !root.has("cluster") { root.error("cluster", "missing [cluster] table (node name, peers, key)") }
        let cluster = clusterTable.map { parseCluster($0) }
        let checks = (root.tables("check") ?? []).compactMap { parseCheck($0) }
        if !root.has("check") { root.error("check", "no [[check]] entries: the agent would have nothing to observe") }
        let dns = root.table("dns").flatMap { parseDNS($0) }
        let notify = root.table("notify").map { parseNotify($0) } ?? VantageConfig.Notify(webhookURL: nil)
        root.finish()
        guard let cluster else { return nil }
        return VantageConfig(cluster: cluster, checks: checks, dns: dns, notify: notify)
    }

    // MARK: - [cluster]

    private mutating func parseCluster(_ table: TableReader) -> VantageConfig.Cluster {
        defer { table.finish() }
        let name = nodeName(table, "name") ?? "vantage"
        let node = nodeName(table, "node")
        if node == nil, !table.has("node") { table.error("node", "missing: this agent's name, unique in the cluster") }
        let bind = socketAddress(table, "bind") ?? SocketAddress("0.0.0.0:7946")!
        let advertise = socketAddress(table, "advertise") ?? bind
        var peers: [VantageConfig.Peer] = []
        for entry in table.strings("peers") ?? [] {
            guard let at = entry.firstIndex(of: "@"), Names.isNodeName(String(entry[..<at])),
                  let address = SocketAddress(String(entry[entry.index(after: at)...])) else {
                table.error("peers", "'\(entry)' is not name@address:port (e.g. \"iad-1@198.51.100.7:7946\")")
                continue
            }
            peers.append(VantageConfig.Peer(name: String(entry[..<at]), address: address))
        }
        locations.record("cluster.peers", table, "peers")
        if !table.has("advertise"), bind.ip.allSatisfy({ $0 == 0 }), !peers.isEmpty {
            table.warning("advertise", "not set, so it is bind's \(bind), which no peer can reach; set advertise to the address:port the peers use for this agent")
        }
        // A lab agent without peers decides alone: nobody could agree with it.
        let minPeersAgree = table.integer("min_peers_agree", in: 0...1_000) ?? min(1, peers.count)
        locations.record("cluster.min_peers_agree", table, "min_peers_agree")
        let encryption = parseEncryption(table)
        let dataDirectory = table.string("data_dir") ?? "/var/lib/vantage"
        if dataDirectory.isEmpty { table.error("data_dir", "must not be empty") }
        let status = socketAddress(table, "status_address") ?? SocketAddress("127.0.0.1:9946")!
        let statusTokenFile = table.string("status_token_file")
        if let statusTokenFile {
            if let token = files.read(statusTokenFile) {
                if token.allSatisfy(\.isWhitespace) { table.error("status_token_file", "'\(statusTokenFile)' is empty") }
            } else {
                table.error("status_token_file", "cannot read '\(statusTokenFile)'")
            }
        }
        let voteInterval = table.duration("vote_interval") ?? .seconds(5)
        locations.record("cluster.vote_interval", table, "vote_interval")
        let voteTTL = table.duration("vote_ttl") ?? .seconds(30)
        let reconcile = table.duration("reconcile_interval") ?? .seconds(30)
        // A part that failed is already logged; the placeholder only completes the value (the
        // cross-field rules run only when every part was read, so one mistake gives one error).
        return VantageConfig.Cluster(name: name, node: node ?? "", bind: bind, advertise: advertise, peers: peers,
                                     minPeersAgree: minPeersAgree, encryption: encryption ?? .insecure, dataDirectory: dataDirectory,
                                     statusAddress: status, voteInterval: voteInterval, voteTTL: voteTTL,
                                     reconcileInterval: reconcile, statusTokenFile: statusTokenFile)
    }

    private func nodeName(_ table: TableReader, _ key: String) -> String? {
        guard let name = table.string(key) else { return nil }
        guard Names.isNodeName(name) else {
            table.error(key, "'\(name)' is not a valid name (1–64 of A–Z a–z 0–9 . _ -)")
            return nil
        }
        return name
    }

    private func socketAddress(_ table: TableReader, _ key: String) -> SocketAddress? {
        guard let text = table.string(key) else { return nil }
        guard let address = SocketAddress(text) else {
            table.error(key, "'\(text)' is not a numeric address:port (e.g. \"10.0.0.1:7946\" or \"[2001:db8::1]:7946\")")
            return nil
        }
        return address
    }

    /// `crypto_key` or `crypto_key_file` (exactly one), older keys for rotation, or the explicit
    /// `insecure_no_encryption = true`.
    private func parseEncryption(_ table: TableReader) -> VantageConfig.Encryption? {
        let insecure = table.bool("insecure_no_encryption") ?? false
        let inline = table.string("crypto_key"), file = table.string("crypto_key_file")
        let olderInline = table.strings("older_crypto_keys") ?? [], olderFiles = table.strings("older_crypto_key_files") ?? []
        if insecure {
            if inline != nil || file != nil { table.error("insecure_no_encryption", "contradicts crypto_key/crypto_key_file; remove one") }
            else { table.warning("insecure_no_encryption", "datagrams are NOT encrypted or authenticated; any host can vote") }
            return .insecure
        }
        let primary: VantageConfig.ClusterKey?
        switch (inline, file) {
        case (let text?, nil):
            primary = files.key(base64: text, table: table, key: "crypto_key")
        case (nil, let path?):
            primary = files.key(file: path, table: table, key: "crypto_key_file")
        case (_?, _?):
            table.error("crypto_key_file", "give crypto_key or crypto_key_file, not both")
            return nil
        case (nil, nil):
            table.error("crypto_key_file", "missing: a cluster key file (create one with `vantage keygen`), or insecure_no_encryption = true")
            return nil
        }
        let older = olderInline.compactMap { files.key(base64: $0, table: table, key: "older_crypto_keys") }
            + olderFiles.compactMap { files.key(file: $0, table: table, key: "older_crypto_key_files") }
        guard let primary else { return nil }
        return .sealed(primary: primary, older: older)
    }

    // MARK: - [[check]]

    private mutating func parseCheck(_ table: TableReader) -> VantageConfig.Check? {
        defer { table.finish() }
        let index = table.path
        let kind = table.value("type", expected: "\"icmp\", \"tcp\" or \"http\"") { raw -> VantageConfig.CheckKind? in
            if case .string(let text) = raw { VantageConfig.CheckKind(rawValue: text) } else { nil }
        }
        if kind == nil, !table.has("type") { table.error("type", "missing: \"icmp\", \"tcp\" or \"http\"") }
        let address = table.string("address")
        if let address, !Names.isIPAddress(address) { table.error("address", "'\(address)' is not a numeric IPv4 or IPv6 address") }
        if address == nil, !table.has("address") { table.error("address", "missing: the endpoint's IP address") }
        let tls = table.bool("tls") ?? false
        let port = table.integer("port", in: 1...65_535)
        let interval = table.duration("interval") ?? .seconds(1)
        let timeout = table.duration("timeout") ?? .milliseconds(800)
        locations.record("\(index).timeout", table, table.has("timeout") ? "timeout" : "interval")
        let rise = table.integer("rise", in: 1...100) ?? 2
        let fall = table.integer("fall", in: 1...100) ?? 3
        let send = table.string("send"), expect = table.string("expect")
        let method = table.string("method"), path = table.string("path"), host = table.string("host")
        let statuses = parseStatuses(table)
        let body = table.string("body_contains"), tlsVerify = table.bool("tls_verify"), caFile = table.string("ca_file")
        guard let kind, let address, Names.isIPAddress(address) else { return nil }

        var resolvedPort = port
        var http: VantageConfig.HTTPCheck?
        switch kind {
        case .icmp:
            for key in ["port", "send", "expect", "method", "path", "host", "expected_status", "body_contains", "tls", "tls_verify", "ca_file"] where table.has(key) {
                table.error(key, "does not apply to an icmp check")
            }
        case .tcp:
            if port == nil, !table.has("port") { table.error("port", "missing: a tcp check needs the port to connect to") }
            for key in ["method", "path", "host", "expected_status", "body_contains", "tls", "tls_verify", "ca_file"] where table.has(key) {
                table.error(key, "applies to http checks only")
            }
        case .http:
            for key in ["send", "expect"] where table.has(key) { table.error(key, "applies to tcp checks only") }
            if let method, !["GET", "HEAD"].contains(method) { table.error("method", "expected \"GET\" or \"HEAD\", found \"\(method)\"") }
            if let path, !path.hasPrefix("/") { table.error("path", "must start with '/'") }
            if let host, !Names.isHostname(host) { table.error("host", "'\(host)' is not a valid host name") }
            if caFile != nil, !tls { table.error("ca_file", "applies to https checks only (tls = true)") }
            resolvedPort = port ?? (tls ? 443 : 80)
            http = VantageConfig.HTTPCheck(method: method ?? "GET", path: path ?? "/", host: host,
                                           expectedStatus: statuses ?? [200...399], bodyContains: body, tls: tls,
                                           tlsVerify: tlsVerify ?? true, caFile: caFile)
        }
        let name = table.string("name") ?? "\(kind.rawValue) \(address)\(resolvedPort.map { ":\($0)" } ?? "")"
        locations.record("\(index).name", table, table.has("name") ? "name" : "address")
        return VantageConfig.Check(name: name, kind: kind, address: address, port: resolvedPort, interval: interval,
                                   timeout: timeout, rise: rise, fall: fall, send: send, expect: expect, http: http)
    }

    /// `expected_status = [200, 204]` or `["200-399"]`.
    private func parseStatuses(_ table: TableReader) -> [ClosedRange<Int>]? {
        table.value("expected_status", expected: "an array of status codes or \"low-high\" ranges within 100–599") { raw in
            guard case .array(let items) = raw, !items.isEmpty else { return nil }
            let ranges = items.compactMap { item -> ClosedRange<Int>? in
                switch item {
                case .integer(let code) where (100...599).contains(code): return Int(code)...Int(code)
                case .string(let text):
                    let bounds = text.split(separator: "-").compactMap { Int($0) }
                    guard bounds.count == 2, (100...599).contains(bounds[0]), (bounds[0]...599).contains(bounds[1]) else { return nil }
                    return bounds[0]...bounds[1]
                default: return nil
                }
            }
            return ranges.count == items.count ? ranges : nil
        }
    }

    // MARK: - [dns]

    private mutating func parseDNS(_ table: TableReader) -> VantageConfig.DNS? {
        defer { table.finish() }
        let provider = table.string("provider") ?? "cloudflare"
        if provider != "cloudflare" { table.error("provider", "only \"cloudflare\" is supported") }
        let zone = table.string("zone")
        if let zone, !Names.isHostname(zone) { table.error("zone", "'\(zone)' is not a valid domain") }
        if zone == nil, !table.has("zone") { table.error("zone", "missing: the Cloudflare zone (e.g. \"example.com\")") }
        let hostnames = table.strings("hostnames") ?? []
        if hostnames.isEmpty { table.error("hostnames", "list at least one host name whose A records the agent manages") }
        for name in hostnames where !Names.isHostname(name) { table.error("hostnames", "'\(name)' is not a valid host name") }
        locations.record("dns.hostnames", table, "hostnames")
        let addresses = table.strings("addresses") ?? []
        if addresses.isEmpty { table.error("addresses", "list the pool: the endpoint addresses the agent may add or remove") }
        for address in addresses where !Names.isIPAddress(address) { table.error("addresses", "'\(address)' is not a numeric IP address") }
        locations.record("dns.addresses", table, "addresses")
        let proxied = table.bool("proxied") ?? false
        let ttl = table.integer("ttl", in: 1...86_400) ?? 60
        if !Cloudflare.isValidTTL(ttl) { table.error("ttl", "Cloudflare accepts 1 (automatic) or 60–86400, found \(ttl)") }
        if table.has("api_token") { table.error("api_token", "secrets are not written in the config; use api_token_env or api_token_file") }
        let tokenEnvironment = table.string("api_token_env"), tokenFile = table.string("api_token_file")
        let email = table.string("api_email_env"), key = table.string("api_key_env")
        if tokenEnvironment != nil || tokenFile != nil, email != nil || key != nil {
            table.error(email != nil ? "api_email_env" : "api_key_env", "give an API token (api_token_env or api_token_file) or a global API key, not both")
        }
        var credentials: VantageConfig.Credentials?
        switch (tokenEnvironment, tokenFile) {
        case (let name?, nil):
            credentials = .tokenEnvironment(name)
            if files.environment[name] == nil { table.warning("api_token_env", "environment variable \(name) is not set here") }
        case (nil, let path?):
            credentials = .tokenFile(path)
            if !files.isReadable(path) { table.error("api_token_file", "cannot read '\(path)'") }
        case (_?, _?): table.error("api_token_file", "give api_token_env or api_token_file, not both")
        case (nil, nil): credentials = globalKeyCredentials(table, email: email, key: key)
        }
        let baseURL = table.string("api_base_url") ?? Cloudflare.defaultBaseURL
        if !Names.isWebURL(baseURL) { table.error("api_base_url", "'\(baseURL)' is not an http(s) URL") }
        guard let zone, let credentials else { return nil }
        return VantageConfig.DNS(provider: provider, zone: zone, hostnames: hostnames, addresses: addresses, proxied: proxied,
                                 ttl: ttl, credentials: credentials, apiBaseURL: baseURL)
    }

    /// goavail's global API key: `api_email_env` and `api_key_env` name the variables (what a
    /// goavail.toml's effective config prints); without them a token source is missing.
    private func globalKeyCredentials(_ table: TableReader, email: String?, key: String?) -> VantageConfig.Credentials? {
        guard let email, let key else {
            if email != nil || key != nil { table.error(email == nil ? "api_email_env" : "api_key_env", "give api_email_env and api_key_env together (a global API key), or use api_token_env") }
            else { table.error("api_token_env", "missing: the environment variable (or use api_token_file) holding a Cloudflare API token") }
            return nil
        }
        for (name, variable) in [("api_email_env", email), ("api_key_env", key)] where files.environment[variable] == nil {
            table.warning(name, "environment variable \(variable) is not set here")
        }
        return .globalKeyEnvironment(email: email, key: key)
    }

    // MARK: - [notify]

    private func parseNotify(_ table: TableReader) -> VantageConfig.Notify {
        defer { table.finish() }
        let url = table.string("webhook_url")
        if let url, Redaction.isRedacted(url) { table.error("webhook_url", Redaction.explanation) }
        else if let url, !Names.isWebURL(url) { table.error("webhook_url", "'\(url)' is not an http(s) URL") }
        return VantageConfig.Notify(webhookURL: url)
    }
}
