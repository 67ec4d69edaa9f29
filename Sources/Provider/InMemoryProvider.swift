import Failover

/// A zone held in memory, for `vantage demo` and tests: answers at once, batches all-or-nothing,
/// and treats "already exists" and "already gone" as done, as Cloudflare does.
public actor InMemoryProvider: DNSProvider {
    public nonisolated let supportsBatch: Bool
    private var records: [String: DNSRecord] = [:]
    private var nextID = 1
    /// Calls carried out, reads and writes.
    public private(set) var calls = 0

    public init(records: [DNSRecord] = [], supportsBatch: Bool = true) {
        self.supportsBatch = supportsBatch
        for record in records { self.records[record.id] = record }
    }

    /// Every record, ordered by name, type and content.
    public var zone: [DNSRecord] {
        records.values.sorted { ($0.name, $0.type.rawValue, $0.content) < ($1.name, $1.type.rawValue, $1.content) }
    }

    public func perform(_ request: DNSRequest, deadline: Duration) async -> DNSResponse {
        calls += 1
        switch request {
        case .list(let name):
            return .listed(zone.filter { $0.name == name })
        case .create(let spec):
            return .created(create(spec))
        case .delete(let record):
            records[record.id] = nil
            return .deleted
        case .batch(let creates, let deletes):
            if let missing = deletes.first(where: { records[$0.id] == nil }) {
                return .failed(.rejected("batch refused whole: record \(missing.id) does not exist"))
            }
            for record in deletes { records[record.id] = nil }
            return .batched(created: creates.map(create))
        }
    }

    private func create(_ spec: RecordSpec) -> DNSRecord {
        if let existing = records.values.first(where: { $0.name == spec.name && $0.type == spec.type && $0.content == spec.content }) {
            return existing
        }
        let record = spec.record(id: String(nextID))
        nextID += 1
        records[record.id] = record
        return record
    }
}
