import Failover
import Raft
import SansIO

/// Shared test vocabulary: records, a provider zone that answers `DNSRequest`s, leaderships.
enum Fixtures {
    static let name = "www.example.com"
    static let pool = ["192.0.2.1", "192.0.2.2", "2001:db8::1"]
    static let unmanaged = "198.51.100.7"

    static func record(_ id: String, _ address: String, name: String = Fixtures.name, proxied: Bool = false,
                       ttl: Int = 60) -> DNSRecord {
        DNSRecord(id: id, name: name, type: RecordType(address: address), content: address, proxied: proxied, ttl: ttl)
    }

    static func leader(term: UInt64 = 3, node: String = "a", now: Instant, lease: Duration = .milliseconds(1_200)) -> Leadership {
        Leadership(role: .leader, term: term, leader: node, leaseExpiry: now + lease, isLeaseValid: true)
    }
}

/// A DNS provider's zone that applies requests at once (every answer a success).
struct FakeZone {
    var records: [DNSRecord] = []
    private var nextID = 0

    init(_ records: [DNSRecord] = []) { self.records = records }

    mutating func newID() -> String {
        nextID += 1
        return "z\(String(100_000 + nextID))"
    }

    func contents(of name: String = Fixtures.name) -> [String] {
        records.filter { $0.name == name }.map(\.content).sorted()
    }

    mutating func handle(_ request: DNSRequest) -> DNSResponse {
        switch request {
        case .list(let name):
            return .listed(records.filter { $0.name == name })
        case .create(let spec):
            let record = spec.record(id: newID())
            records.append(record)
            return .created(record)
        case .delete(let record):
            records.removeAll { $0.id == record.id }
            return .deleted
        case .batch(let creates, let deletes):
            let created = creates.map { $0.record(id: newID()) }
            records += created
            let gone = Set(deletes.map(\.id))
            records.removeAll { gone.contains($0.id) }
            return .batched(created: created)
        }
    }
}
