/// What the agent manages at the DNS provider (the config's `[dns]`): every hostname is served
/// by the addresses of one pool, and only pool addresses are ever added or removed.
public struct DNSTarget: Sendable, Hashable {
    /// Fully qualified names, sorted.
    public var hostnames: [String]
    /// The managed addresses, sorted, in canonical lower-case text.
    public var pool: [String]
    /// `proxied` and `ttl` for records the agent creates.
    public var proxied: Bool
    public var ttl: Int

    public init(hostnames: [String], pool: [String], proxied: Bool = false, ttl: Int = 60) {
        self.hostnames = Set(hostnames.map { $0.lowercased() }).sorted()
        self.pool = Set(pool.map { $0.lowercased() }).sorted()
        self.proxied = proxied
        self.ttl = ttl
    }

    /// Whether the agent manages `address`.
    public func manages(_ address: String) -> Bool { pool.contains(address.lowercased()) }
}
