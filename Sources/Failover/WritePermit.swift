import Raft
import SansIO

/// Permission for one DNS write, issued only to the leader while its lease holds (DESIGN.md
/// "Single writer"; Raft thesis §6.4.1 for leases). The reconciler asks for a permit immediately
/// before every API call and skips the call when there is none; the permit's term and node go
/// into the record comment for audit.
public struct WritePermit: Hashable, Sendable {
    /// The term the writer leads.
    public let term: UInt64
    /// The writer's node name.
    public let node: String
    /// The local instant the lease runs out; a request should not be started so late that it
    /// could still be in flight after it.
    public let leaseExpiry: Instant

    /// A permit when `leadership` (from `Election.leadership(now:)` at `now`) says this node leads
    /// with a valid lease, else nil.
    public init?(_ leadership: Leadership, node: String, now: Instant) {
        guard leadership.role == .leader, leadership.isLeaseValid, leadership.leader == node,
              let expiry = leadership.leaseExpiry, now < expiry else { return nil }
        term = leadership.term
        self.node = node
        leaseExpiry = expiry
    }

    /// How much of the lease is left at `now`.
    public func remaining(at now: Instant) -> Duration { leaseExpiry - now }

    /// The audit text written into the record comment (`vantage: term 7 node fra-1`).
    public var auditComment: String { Self.auditComment(term: term, node: node) }

    /// The audit text for writes by `node` in `term`, for planning before the permit is asked for.
    public static func auditComment(term: UInt64, node: String) -> String { "vantage: term \(term) node \(node)" }
}
