import Membership
import SansIO

/// Counts what the SWIM instances of a simulation report: suspicions, dead declarations about
/// members that are actually running ("false dead"), and when a watched member was first
/// suspected and declared dead by every running observer.
public final class MembershipTally {
    public private(set) var suspicions = 0
    /// Suspicions of a member other than `excluded` (e.g. a paused member, which is rightly suspected).
    public private(set) var suspicionsOfOthers = 0
    public private(set) var falseDead = 0
    public private(set) var firstSuspect: Instant?
    public private(set) var deadEverywhere: Instant?
    private var deadSeenBy: Set<Int> = []
    /// The member whose detection is timed.
    public var watched: Int?
    /// The member whose suspicions do not count in `suspicionsOfOthers`.
    public var excluded: Int?

    /// Subscribes a new tally to `simulation`.
    public init(_ simulation: Simulation) {
        simulation.observe { [unowned self] observation, simulation in self.observe(observation, simulation) }
    }

    private func observe(_ observation: Observation, _ simulation: Simulation) {
        guard case .statusChanged(let member, _)? = observation.event as? SWIM.Event,
              let subject = simulation.index(ofAddress: member.id.address), subject != observation.node else { return }
        switch member.status {
        case .suspect:
            suspicions += 1
            if subject != excluded { suspicionsOfOthers += 1 }
            if subject == watched, firstSuspect == nil { firstSuspect = observation.time }
        case .dead:
            if simulation.isUp(subject) { falseDead += 1 }
            if subject == watched {
                deadSeenBy.insert(observation.node)
                updateDeadEverywhere(simulation, at: observation.time)
            }
        default:
            break
        }
    }

    private func updateDeadEverywhere(_ simulation: Simulation, at time: Instant) {
        guard deadEverywhere == nil, let watched else { return }
        let observers = (0..<simulation.nodeCount).filter { $0 != watched && simulation.isUp($0) }
        if observers.allSatisfy(deadSeenBy.contains) { deadEverywhere = time }
    }

    /// Whether every running node sees every other running node alive.
    public static func converged(_ simulation: Simulation) -> Bool {
        let up = (0..<simulation.nodeCount).filter(simulation.isUp)
        for observer in up {
            guard let view = simulation.membership(of: observer)?.instance else { return false }
            for member in up where member != observer {
                guard view.member(named: simulation.identity(of: member).name)?.status == .alive else { return false }
            }
        }
        return true
    }
}
