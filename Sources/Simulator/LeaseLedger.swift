import SansIO

/// The leases every node held, in true time, per term: written by `ElectionInvariants` the moment
/// a lease is seen valid, read by the failover invariants to judge whether a DNS write landed
/// inside its writer's lease. A lease counts until its expiry even if its holder crashed; a
/// graceful hand-over ends it at once.
public final class LeaseLedger {
    public struct Key: Hashable, Sendable {
        public let node: Int
        public let term: UInt64
    }

    /// The latest true instant each (node, term) lease was seen to run until.
    public private(set) var leaseEnd: [Key: Instant] = [:]
    /// The latest end of any lease of each node.
    public private(set) var latestEnd: [Int: Instant] = [:]

    public init() {}

    func extend(node: Int, term: UInt64, until end: Instant) {
        let key = Key(node: node, term: term)
        leaseEnd[key] = max(leaseEnd[key] ?? .zero, end)
        latestEnd[node] = max(latestEnd[node] ?? .zero, end)
    }

    /// Node `node` gave its lease in `term` up at true time `time` (graceful hand-over).
    func relinquish(node: Int, term: UInt64, at time: Instant) {
        let key = Key(node: node, term: term)
        if let end = leaseEnd[key], end > time { leaseEnd[key] = time }
        if let end = latestEnd[node], end > time { latestEnd[node] = time }
    }

    /// When node `node`'s lease in `term` ran out (true time), nil if it never held one.
    public func end(node: Int, term: UInt64) -> Instant? { leaseEnd[Key(node: node, term: term)] }
}
