/// How several checks on one address make one view.
///
/// The rule: **down when any check on the address is down; up when every check is up; unknown
/// otherwise.** An endpoint is only worth serving when everything the operator checks on it
/// works (a web server whose TCP port answers but whose HTTP health page fails is down), and a
/// check that has not yet decided keeps the address undecided rather than vouching for it.
public enum CombinedState {
    public static func combine<States: Sequence>(_ states: States) -> Hysteresis.State
    where States.Element == Hysteresis.State {
        var sawAny = false, allUp = true
        for state in states {
            sawAny = true
            if state == .down { return .down }
            if state != .up { allUp = false }
        }
        return sawAny && allUp ? .up : .unknown
    }
}
