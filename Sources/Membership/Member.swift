/// A cluster member's identity: its node name and the address datagrams for it go to.
public struct MemberID: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var address: String

    public init(name: String, address: String) {
        self.name = name
        self.address = address
    }

    public var description: String { "\(name)@\(address)" }
}

/// A member's state in one node's view (SWIM §4.2 "suspicion mechanism", §4.3 "voluntary leave").
///
/// For the same incarnation a later state in `alive < suspect < dead < left` overrides an earlier
/// one; only `alive` with a higher incarnation (a refutation) overrides `suspect`, `dead` or `left`.
public enum MemberStatus: UInt8, Comparable, Sendable, CaseIterable {
    case alive = 0, suspect = 1, dead = 2, left = 3

    public static func < (lhs: MemberStatus, rhs: MemberStatus) -> Bool { lhs.rawValue < rhs.rawValue }

    /// `dead` and `left` members are tombstones: not probed, revived only by a higher incarnation.
    public var isTombstone: Bool { self >= .dead }
}

/// One member as a node sees it.
public struct Member: Hashable, Sendable {
    public var id: MemberID
    public var status: MemberStatus
    /// Raised only by the member itself, to refute a suspicion (SWIM §4.2).
    public var incarnation: UInt64

    public init(id: MemberID, status: MemberStatus, incarnation: UInt64) {
        self.id = id
        self.status = status
        self.incarnation = incarnation
    }
}
