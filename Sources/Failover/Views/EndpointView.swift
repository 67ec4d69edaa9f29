import SansIO

/// What one agent currently believes about one endpoint address (DESIGN.md "Observations and
/// votes"): the hysteresis state, how long it has held, and the check results behind it.
///
/// The view is what travels in a vote. Its time is an *age*, never an instant, because instants of
/// two nodes' clocks cannot be compared: the receiver turns the age back into an instant of its own
/// clock at receipt.
public struct EndpointView: Sendable, Hashable {
    public typealias State = Hysteresis.State

    /// The endpoint address (`192.0.2.10`, `2001:db8::1`).
    public var address: String
    public var state: State
    /// How long `state` has held, when the view was made.
    public var age: Duration
    /// Consecutive successes of the combined checks (0 while failing).
    public var successes: Int
    /// Consecutive failures of the combined checks (0 while succeeding).
    public var failures: Int
    /// The round-trip time of the last successful check, if any.
    public var lastRTT: Duration?

    public init(address: String, state: State, age: Duration, successes: Int = 0, failures: Int = 0,
                lastRTT: Duration? = nil) {
        self.address = address
        self.state = state
        self.age = age
        self.successes = successes
        self.failures = failures
        self.lastRTT = lastRTT
    }
}
