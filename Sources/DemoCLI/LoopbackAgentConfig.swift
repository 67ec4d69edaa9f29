/// The vantage.toml of one agent of a cluster on loopback — the demo's, the end-to-end tests' and
/// the monitor benchmark's: TCP checks of local endpoints, the cluster key and API token in files
/// beside the config, and optionally a `[dns]` table pointing at a local API fake.
public struct LoopbackAgentConfig: Sendable {
    public struct Endpoint: Sendable, Hashable {
        public var ip: String
        public var port: UInt16

        public init(ip: String, port: UInt16) {
            self.ip = ip
            self.port = port
        }
    }

    public struct DNS: Sendable, Hashable {
        public var zone: String
        public var hostname: String
        public var apiURL: String
        /// The token file, relative to the config.
        public var tokenFile: String

        public init(zone: String, hostname: String, apiURL: String, tokenFile: String) {
            self.zone = zone
            self.hostname = hostname
            self.apiURL = apiURL
            self.tokenFile = tokenFile
        }
    }

    public var cluster: String
    public var node: String
    /// Every agent's cluster (UDP) port on 127.0.0.1, this one's included.
    public var clusterPorts: [String: UInt16]
    public var statusPort: UInt16
    public var endpoints: [Endpoint]
    public var interval = "500ms"
    public var timeout = "300ms"
    /// Anti-entropy resend of every view (the default is 5s; short here so a demo converges fast).
    public var voteInterval = "1s"
    public var dns: DNS?
    public var webhookURL: String?
    /// TOML appended after the generated checks (more `[[check]]` tables).
    public var extraChecks = ""

    public init(cluster: String, node: String, clusterPorts: [String: UInt16], statusPort: UInt16, endpoints: [Endpoint], dns: DNS?) {
        self.cluster = cluster
        self.node = node
        self.clusterPorts = clusterPorts
        self.statusPort = statusPort
        self.endpoints = endpoints
        self.dns = dns
    }

    public var text: String {
        let peers = clusterPorts.keys.sorted().filter { $0 != node }.map { "\"\($0)@127.0.0.1:\(clusterPorts[$0]!)\"" }
        var text = """
            # An agent of a cluster on loopback: \(node) of \(clusterPorts.keys.sorted().joined(separator: ", ")).
            [cluster]
            name = "\(cluster)"
            node = "\(node)"
            bind = "127.0.0.1:\(clusterPorts[node]!)"
            peers = [\(peers.joined(separator: ", "))]
            crypto_key_file = "cluster.key"
            data_dir = "data-\(node)"
            status_address = "127.0.0.1:\(statusPort)"
            vote_interval = "\(voteInterval)"

            """
        for endpoint in endpoints {
            text += """

                [[check]]
                name = "tcp \(endpoint.ip):\(endpoint.port)"
                type = "tcp"
                address = "\(endpoint.ip)"
                port = \(endpoint.port)
                interval = "\(interval)"
                timeout = "\(timeout)"

                """
        }
        text += extraChecks
        if let dns {
            let pool = Set(endpoints.map(\.ip)).sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            text += """

                [dns]
                zone = "\(dns.zone)"
                hostnames = ["\(dns.hostname)"]
                addresses = [\(pool)]
                api_token_file = "\(dns.tokenFile)"
                api_base_url = "\(dns.apiURL)"

                """
        }
        if let webhookURL { text += "\n[notify]\nwebhook_url = \"\(webhookURL)\"\n" }
        return text
    }
}
