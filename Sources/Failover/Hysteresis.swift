import SansIO

/// Rise/fall hysteresis for one check (AWSnycast vocabulary). Sans-IO: time comes in as `now`.
///
/// The state starts `unknown`; it becomes `up` after exactly `rise` consecutive successes and
/// `down` after exactly `fall` consecutive failures. A result resets the opposite streak.
public struct Hysteresis: Sendable {
    /// The hysteresis view of a check.
    public enum State: Sendable, Hashable { case unknown, up, down }

    /// A change of state.
    public struct Transition: Sendable, Hashable {
        public var from: State
        public var to: State
        public var time: Instant
        public var lastResult: CheckResult
    }

    public let rise: Int
    public let fall: Int
    public private(set) var state: State = .unknown
    private var successes = 0
    private var failures = 0

    public init(rise: Int, fall: Int) {
        precondition(rise >= 1 && fall >= 1, "rise and fall must be at least 1")
        self.rise = rise
        self.fall = fall
    }

    /// Records one result; returns the transition it caused, if any.
    public mutating func record(_ result: CheckResult, at now: Instant) -> Transition? {
        let target: State
        if result.success {
            failures = 0
            successes += 1
            guard successes >= rise, state != .up else { return nil }
            target = .up
        } else {
            successes = 0
            failures += 1
            guard failures >= fall, state != .down else { return nil }
            target = .down
        }
        let transition = Transition(from: state, to: target, time: now, lastResult: result)
        state = target
        return transition
    }
}
