/// The address record types Vantage manages: `A` for IPv4 pool addresses, `AAAA` for IPv6.
public enum RecordType: String, Sendable, Hashable, CaseIterable, Codable {
    case a = "A"
    case aaaa = "AAAA"

    /// The type that carries `address` (AAAA when it contains a colon).
    public init(address: String) { self = address.contains(":") ? .aaaa : .a }
}

/// A record as the DNS provider holds it, with the provider's id.
public struct DNSRecord: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The provider's identifier (Cloudflare's 32-hex record id; anything unique for others).
    public var id: String
    /// The fully qualified name (`www.example.com`).
    public var name: String
    public var type: RecordType
    /// The address as text (`192.0.2.10`, `2001:db8::1`).
    public var content: String
    /// Cloudflare's orange cloud; providers without proxying keep it false.
    public var proxied: Bool
    /// Seconds; 1 means the provider's automatic TTL.
    public var ttl: Int
    /// Free text; Vantage writes its audit note (term and node) here.
    public var comment: String?

    public init(id: String, name: String, type: RecordType, content: String, proxied: Bool, ttl: Int,
                comment: String? = nil) {
        self.id = id
        self.name = name
        self.type = type
        self.content = content
        self.proxied = proxied
        self.ttl = ttl
        self.comment = comment
    }

    public var description: String { "\(name) \(type.rawValue) \(content) (id \(id))" }
}

/// A record to create: everything but the id the provider will assign.
public struct RecordSpec: Sendable, Hashable, Codable, CustomStringConvertible {
    public var name: String
    public var type: RecordType
    public var content: String
    public var proxied: Bool
    public var ttl: Int
    public var comment: String?

    public init(name: String, type: RecordType, content: String, proxied: Bool, ttl: Int, comment: String? = nil) {
        self.name = name
        self.type = type
        self.content = content
        self.proxied = proxied
        self.ttl = ttl
        self.comment = comment
    }

    /// The record the provider holds after creating this spec under `id`.
    public func record(id: String) -> DNSRecord {
        DNSRecord(id: id, name: name, type: type, content: content, proxied: proxied, ttl: ttl, comment: comment)
    }

    public var description: String { "\(name) \(type.rawValue) \(content)" }
}
