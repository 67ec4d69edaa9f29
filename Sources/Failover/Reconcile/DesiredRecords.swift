/// The addresses one hostname should have (DESIGN.md "DNS reconciliation").
///
/// An address the tally says `restore` is in, `remove` is out, `keep` stays as the provider has
/// it. **A name is never emptied**: when that leaves no record at all for a name that has some
/// now, the current managed records are kept (fail open) and `isAllDown` is set, so the caller
/// raises an alert — every endpoint of a name looking down usually means the observers failed.
///
/// Decisions come in as one dictionary; an operator override (drain, force up, with an expiry)
/// is one more input that rewrites entries of it before this rule runs.
public struct DesiredRecords: Sendable, Hashable {
    public var name: String
    /// Managed addresses the name should have.
    public var addresses: Set<String>
    /// Every managed address looked down: the current records are kept.
    public var isAllDown: Bool

    /// Whether the never-empty rule is applied (switched off only to show the simulator catches it).
    public enum EmptyNamePolicy: Sendable { case failOpen, allowEmpty }

    public init(name: String, target: DNSTarget, decisions: [String: TallyDecision.Verdict], current: [DNSRecord],
                policy: EmptyNamePolicy = .failOpen) {
        self.name = name
        let present = Set(current.map { $0.content.lowercased() })
        var wanted = Set<String>()
        for address in target.pool {
            switch decisions[address] ?? .keep {
            case .restore: wanted.insert(address)
            case .keep: if present.contains(address) { wanted.insert(address) }
            case .remove: break
            }
        }
        let unmanaged = present.filter { !target.manages($0) }
        let managedPresent = present.filter { target.manages($0) }
        if policy == .failOpen, wanted.isEmpty, unmanaged.isEmpty, !managedPresent.isEmpty {
            addresses = managedPresent
            isAllDown = true
        } else {
            addresses = wanted
            isAllDown = false
        }
    }
}
