import IO
import Wire

/// An agent's effective configuration, whichever file format it came from (`vantage.toml` or an
/// unchanged goavail.toml). Values are validated; see `ConfigLoader`.
public struct VantageConfig: Sendable, Equatable {
    /// Identity, cluster membership and protocol settings (`[cluster]`).
    public var cluster: Cluster
    /// The endpoints this agent checks (`[[check]]`).
    public var checks: [Check]
    /// Where DNS is written; nil: the agent observes and votes but never writes (`[dns]`).
    public var dns: DNS?
    /// Where alerts go (`[notify]`).
    public var notify: Notify

    public struct Peer: Sendable, Equatable {
        public var name: String
        public var address: SocketAddress
    }

    /// Which keys seal the cluster's datagrams.
    public enum Encryption: Sendable, Equatable {
        /// Sealed: the primary key seals, every key (the older ones too) opens.
        case sealed(primary: ClusterKey, older: [ClusterKey])
        /// Plaintext, only because the config says `insecure_no_encryption = true`.
        case insecure
    }

    /// A cluster key and where it was read from, so the effective config can name the same file.
    public struct ClusterKey: Sendable, Equatable {
        public var key: SecretKey
        public var source: KeySource

        public init(_ key: SecretKey, from source: KeySource) {
            self.key = key
            self.source = source
        }
    }

    /// Where a cluster key was read from.
    public enum KeySource: Sendable, Equatable {
        case inline
        case file(String)
        /// Derived from a goavail `crypto_key`.
        case goavail
    }

    public struct Cluster: Sendable, Equatable {
        public var name: String
        /// This agent's name, unique in the cluster.
        public var node: String
        public var bind: SocketAddress
        /// The address peers reach this agent at (defaults to `bind`).
        public var advertise: SocketAddress
        /// Every other agent; the voter set is these plus this node (DESIGN.md "Single writer").
        public var peers: [Peer]
        /// Peers that must agree with an observer before a record changes (`min_peers_agree + 1`
        /// agents in all).
        public var minPeersAgree: Int
        public var encryption: Encryption
        public var dataDirectory: String
        public var statusAddress: SocketAddress
        /// Anti-entropy: every view is re-sent to every voter this often, besides on every change (default 5 s).
        public var voteInterval: Duration
        /// How long a vote counts (default 30 s).
        public var voteTTL: Duration
        /// How often the leader reconciles DNS even without changes (default 30 s).
        public var reconcileInterval: Duration
        /// A file holding the bearer token every status path but `/healthz` requires; nil: no token
        /// (fine on the loopback default, needed when the status address is reachable by others).
        public var statusTokenFile: String? = nil

        /// All agents, this one included.
        public var agentCount: Int { peers.count + 1 }
    }

    public enum CheckKind: String, Sendable, Equatable, CaseIterable {
        case icmp, tcp, http
    }

    public struct Check: Sendable, Equatable {
        public var name: String
        public var kind: CheckKind
        public var address: String
        /// TCP and HTTP only.
        public var port: Int?
        public var interval: Duration
        public var timeout: Duration
        public var rise: Int
        public var fall: Int
        /// TCP only: bytes written after connecting (AWSnycast's `send`).
        public var send: String?
        /// TCP only: a substring that must arrive before the deadline (AWSnycast's `expect`).
        public var expect: String?
        public var http: HTTPCheck?
    }

    public struct HTTPCheck: Sendable, Equatable {
        public var method: String
        public var path: String
        /// The name the check speaks as while connecting to the address: Host header, TLS server
        /// name and the name the certificate is verified against; defaults to the address.
        public var host: String?
        public var expectedStatus: [ClosedRange<Int>]
        public var bodyContains: String?
        public var tls: Bool
        /// Off: the certificate is not checked at all (logged in the check's label).
        public var tlsVerify: Bool
        /// A PEM bundle of CAs to trust instead of the system store.
        public var caFile: String? = nil
    }

    /// How the DNS API authenticates; secrets are never inline.
    public enum Credentials: Sendable, Equatable {
        /// An API token in the named environment variable.
        case tokenEnvironment(String)
        /// An API token in a file.
        case tokenFile(String)
        /// goavail's global API key and e-mail, in environment variables.
        case globalKeyEnvironment(email: String, key: String)
    }

    public struct DNS: Sendable, Equatable {
        public var provider: String
        public var zone: String
        /// Fully qualified names whose A records the agent manages.
        public var hostnames: [String]
        /// The pool: the only addresses the agent ever adds or removes.
        public var addresses: [String]
        public var proxied: Bool
        /// 1 means automatic; otherwise 60–86400 s.
        public var ttl: Int
        public var credentials: Credentials
        public var apiBaseURL: String
    }

    public struct Notify: Sendable, Equatable {
        public var webhookURL: String?
    }
}
