/// The vantage.toml of one agent of a generated cluster — the demo's, the end-to-end tests', the
/// network-namespace run's and the monitor benchmark's: TCP checks of test endpoints, the cluster
/// key and API token in files beside the config, and optionally a `[dns]` table pointing at an
/// API fake. One builder, so every generated cluster runs the same kind of file.
public struct GeneratedAgentConfig: Sendable {
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
    /// This agent's cluster (UDP) address, `address:port`.
    public var bind: String
    /// Every other agent's cluster address by name, as this agent reaches it.
    public var peers: [String: String]
    public var statusAddress: String
    public var endpoints: [Endpoint]
    public var interval = "500ms"
    public var timeout = "300ms"
    /// Anti-entropy resend of every view (the default is 5s; short here so a demo converges fast).
    public var voteInterval = "1s"
    public var dns: DNS?
    public var webhookURL: String?
    /// TOML appended after the generated checks (more `[[check]]` tables).
    public var extraChecks = ""

    public init(cluster: String, node: String, bind: String, peers: [String: String], statusAddress: String,
                endpoints: [Endpoint], dns: DNS?) {
        self.cluster = cluster
        self.node = node
        self.bind = bind
        self.peers = peers
        self.statusAddress = statusAddress
        self.endpoints = endpoints
        self.dns = dns
    }

    /// An agent of a cluster on 127.0.0.1: `clusterPorts` holds every agent's cluster port, this one's included.
    public static func loopback(cluster: String, node: String, clusterPorts: [String: UInt16], statusPort: UInt16,
                                endpoints: [Endpoint], dns: DNS?) -> GeneratedAgentConfig {
        GeneratedAgentConfig(cluster: cluster, node: node, bind: "127.0.0.1:\(clusterPorts[node]!)",
                             peers: clusterPorts.filter { $0.key != node }.mapValues { "127.0.0.1:\($0)" },
                             statusAddress: "127.0.0.1:\(statusPort)", endpoints: endpoints, dns: dns)
    }

    public var text: String {
        let peerList = peers.keys.sorted().map { "\"\($0)@\(peers[$0]!)\"" }
        var text = """
            # Generated: agent \(node) of \(([node] + peers.keys).sorted().joined(separator: ", ")).
            [cluster]
            name = "\(cluster)"
            node = "\(node)"
            bind = "\(bind)"
            peers = [\(peerList.joined(separator: ", "))]
            crypto_key_file = "cluster.key"
            data_dir = "data-\(node)"
            status_address = "\(statusAddress)"
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
