import Failover
import IO

/// An ICMP echo check against one address, through the process's shared `Pinger`.
public struct ICMPCheck: HealthCheck {
    public let address: [UInt8]
    public let label: String
    private let pinger: Pinger

    /// Fails (once, with the reason and what to do) when no ICMP socket can be opened.
    public init(address text: String) throws(CheckSetupError) {
        let label = "icmp \(text)"
        guard let ip = SocketAddress.parseIP(text) else { throw CheckSetupError(check: label, reason: "not a numeric IP address") }
        address = ip
        self.label = label
        pinger = try Pinger.shared(ip.count == 16 ? .v6 : .v4, for: label)
    }

    public func run(deadline: ContinuousClock.Instant, clock: MonotonicClock) async -> CheckResult {
        let reply = await pinger.ping(address, until: deadline)
        let time = clock.now()
        switch reply {
        case .answered(let rtt): return CheckResult(success: true, rtt: rtt, time: time)
        case .timedOut: return CheckResult(success: false, error: "no echo reply by the deadline", time: time)
        case .sendFailed(let reason): return CheckResult(success: false, error: reason, time: time)
        }
    }
}
