import Membership
import SansIO

/// SWIM's safety properties, checked after every event (SWIM §4.2, Lifeguard §3):
///
/// 1. *Incarnations never go backwards*: in any observer's view (for one life of the observer),
///    a member's incarnation never decreases while that member has not restarted.
/// 2. *Dead stays dead*: a member an observer holds dead is not alive again in that view without
///    a higher incarnation (a refutation) or a new join (the member restarted).
///
/// With `scanViews` the whole view of the node that handled the event is compared after every
/// event (O(members)); without it only the status changes the node reported are checked, which
/// keeps 1,000-node runs fast.
public struct MembershipInvariants: Invariant {
    public let name = "membership"
    public var scanViews: Bool

    private struct ViewKey: Hashable {
        let observer: Int
        let observerEpoch: UInt64
        let member: String
    }

    private struct Seen {
        let incarnation: UInt64
        let status: MemberStatus
        /// The member's true boot epoch when this was recorded.
        let memberEpoch: UInt64
    }

    private var seen: [ViewKey: Seen] = [:]

    public init(scanViews: Bool) { self.scanViews = scanViews }

    public mutating func check(after entry: TraceEntry, observations: [Observation], in simulation: Simulation) -> String? {
        for observation in observations {
            guard case .statusChanged(let member, _)? = observation.event as? SWIM.Event else { continue }
            if let message = record(member, observer: observation.node, in: simulation) { return message }
        }
        guard scanViews, let node = entry.node, simulation.isUp(node),
              let members = simulation.membership(of: node)?.instance.members else { return nil }
        for member in members {
            if let message = record(member, observer: node, in: simulation) { return message }
        }
        return nil
    }

    private mutating func record(_ member: Member, observer: Int, in simulation: Simulation) -> String? {
        let key = ViewKey(observer: observer, observerEpoch: simulation.bootEpoch(of: observer), member: member.id.name)
        let memberEpoch = simulation.index(ofAddress: member.id.address).map { simulation.bootEpoch(of: $0) } ?? 0
        let now = Seen(incarnation: member.incarnation, status: member.status, memberEpoch: memberEpoch)
        defer { seen[key] = now }
        guard let before = seen[key], before.memberEpoch == memberEpoch else { return nil }
        if now.incarnation < before.incarnation {
            return "node-\(observer) sees \(member.id.name) at incarnation \(now.incarnation) after \(before.incarnation)"
        }
        if before.status == .dead, now.status == .alive, now.incarnation <= before.incarnation {
            return "node-\(observer) sees dead \(member.id.name) alive again at incarnation \(now.incarnation)"
        }
        return nil
    }
}

extension Simulation {
    /// The membership component of a running node hosting one.
    public func membership(of node: Int) -> MembershipComponent? {
        (process(of: node) as? ComponentHost)?.component(MembershipComponent.self)
    }
}
