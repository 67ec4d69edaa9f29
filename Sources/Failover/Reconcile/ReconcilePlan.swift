/// The minimal changes that take one name's records to its desired addresses (DESIGN.md
/// "DNS reconciliation"): create each desired address that has no record, delete every managed
/// record whose address is not desired, and collapse duplicates of a managed address to one.
/// Records of addresses outside the pool are never touched.
///
/// Planning is a pure function of what the provider listed and what is desired, so planning
/// again after a partial application, or by a new leader, finishes the job (idempotent).
public struct ReconcilePlan: Sendable, Hashable {
    public var name: String
    public var creates: [RecordSpec]
    public var deletes: [DNSRecord]

    public var isEmpty: Bool { creates.isEmpty && deletes.isEmpty }
    public var changeCount: Int { creates.count + deletes.count }

    public init(name: String, creates: [RecordSpec], deletes: [DNSRecord]) {
        self.name = name
        self.creates = creates
        self.deletes = deletes
    }

    /// Plans `name` from its `current` records (as listed) to `desired`.
    public static func planReconcile(name: String, current: [DNSRecord], desired: DesiredRecords, target: DNSTarget,
                                     comment: String) -> ReconcilePlan {
        var byAddress: [String: [DNSRecord]] = [:]
        for record in current where target.manages(record.content) {
            byAddress[record.content.lowercased(), default: []].append(record)
        }
        var deletes: [DNSRecord] = []
        for (address, records) in byAddress.sorted(by: { $0.key < $1.key }) {
            let ordered = records.sorted { $0.id < $1.id }
            deletes += desired.addresses.contains(address) ? Array(ordered.dropFirst()) : ordered
        }
        let creates = desired.addresses.sorted().filter { byAddress[$0] == nil }.map { address in
            RecordSpec(name: name, type: RecordType(address: address), content: address, proxied: target.proxied,
                       ttl: target.ttl, comment: comment)
        }
        return ReconcilePlan(name: name, creates: creates, deletes: deletes)
    }

    /// The next provider call that carries this plan forward: the whole plan as one atomic batch
    /// where the provider has batches and the plan has more than one change, otherwise a single
    /// call, creates before deletes, so the name never passes through empty. Nil for an empty plan.
    public func nextRequest(supportsBatch: Bool) -> DNSRequest? {
        if supportsBatch, changeCount > 1 { return .batch(creates: creates, deletes: deletes) }
        if let create = creates.first { return .create(create) }
        if let delete = deletes.first { return .delete(delete) }
        return nil
    }
}
