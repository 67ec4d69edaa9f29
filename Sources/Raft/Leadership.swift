import SansIO

/// The four Raft roles (thesis §3.3, plus the pre-candidate of §9.6).
public enum Role: String, Equatable, Sendable {
    case follower
    /// Asking for pre-votes without having raised its term (thesis §9.6).
    case preCandidate
    case candidate
    case leader
}

/// The answer to "may I act as leader right now?", asked immediately before every DNS write.
public struct Leadership: Equatable, Sendable {
    public var role: Role
    public var term: UInt64
    /// The leader this node knows for `term` (itself when leading), if any.
    public var leader: String?
    /// While leading: the local instant the lease runs out (the send time of the latest heartbeat
    /// round a majority acknowledged, plus ``ElectionSettings/lease``); `nil` before any such round.
    public var leaseExpiry: Instant?
    /// `role == .leader` and `now < leaseExpiry`. Only then may the node write.
    public var isLeaseValid: Bool

    public init(role: Role, term: UInt64, leader: String?, leaseExpiry: Instant?, isLeaseValid: Bool) {
        self.role = role
        self.term = term
        self.leader = leader
        self.leaseExpiry = leaseExpiry
        self.isLeaseValid = isLeaseValid
    }
}
