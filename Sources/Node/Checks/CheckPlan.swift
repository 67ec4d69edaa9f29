import IO
import Probe

/// The configured checks turned into running probes: one `CheckScheduler.Entry` per
/// `[[check]]`, or, for checks that cannot start (no ICMP permission, an unusable address),
/// one `CheckSetupError` each, all reported at start-up rather than retried.
public struct CheckPlan: Sendable {
    public private(set) var entries: [CheckScheduler.Entry] = []
    /// The configured check each entry runs (same order as `entries`).
    public private(set) var checks: [VantageConfig.Check] = []
    public private(set) var failures: [CheckSetupError] = []

    public init(_ configured: [VantageConfig.Check]) {
        for check in configured {
            do {
                let probe = try Self.probe(for: check)
                entries.append(CheckScheduler.Entry(check: probe, interval: check.interval, timeout: check.timeout))
                checks.append(check)
            } catch {
                failures.append(CheckSetupError(check: check.name, reason: error.reason))
            }
        }
    }

    static func probe(for check: VantageConfig.Check) throws(CheckSetupError) -> any HealthCheck {
        switch check.kind {
        case .icmp:
            return try ICMPCheck(address: check.address)
        case .tcp:
            guard let ip = SocketAddress.parseIP(check.address), let port = check.port, let port16 = UInt16(exactly: port) else {
                throw CheckSetupError(check: check.name, reason: "needs a numeric address and a port")
            }
            return TCPCheck(address: SocketAddress(ip: ip, port: port16), send: check.send, expect: check.expect)
        case .http:
            guard let http = check.http, let port = check.port else {
                throw CheckSetupError(check: check.name, reason: "needs the http settings and a port")
            }
            return try HTTPCheck(address: check.address, port: port, path: http.path, method: http.method, host: http.host,
                                 tls: http.tls, tlsVerify: http.tlsVerify, caFile: http.caFile,
                                 expectedStatus: http.expectedStatus, bodyContains: http.bodyContains)
        }
    }
}
