import Failover
import IO
/// One kind of health check against one endpoint (ICMP echo, TCP connect with send/expect, HTTP).
/// `run` never throws: every failure is a `CheckResult` with `success == false` and an error.
public protocol HealthCheck: Sendable {
    /// A stable label for logs and reports (`tcp 10.0.0.1:443`).
    var label: String { get }
    /// Runs once and returns by `deadline`: an endpoint that has not answered by then is a
    /// failure with a timeout error. `clock` stamps the result.
    func run(deadline: ContinuousClock.Instant, clock: MonotonicClock) async -> CheckResult
}

/// Why a check cannot even start (reported once, never retried in a loop).
public struct CheckSetupError: Error, Sendable, Equatable, CustomStringConvertible {
    public var check: String
    public var reason: String

    public init(check: String, reason: String) {
        self.check = check
        self.reason = reason
    }

    public var description: String { "\(check): \(reason)" }
}
