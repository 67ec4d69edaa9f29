import Failover
import HTTP
import IO

/// An HTTP(S) check: GET (or HEAD) to the endpoint's `address`, speaking as `host` when one is
/// given (the Host header, the TLS SNI name and the name the certificate is verified against),
/// an expected status set (default 200–399) and an optional substring of the first 64 KiB of
/// the body. The deadline is libcurl's, in milliseconds; every check opens its own connection.
public struct HTTPCheck: HealthCheck {
    public let url: String
    public let method: HTTPMethod
    public let address: String
    public let host: String?
    public let tls: TLSSettings
    public let expectedStatus: [ClosedRange<Int>]
    public let bodyContains: String?
    public let label: String
    private let client: HTTPClient

    /// Most body bytes a check reads.
    public static let bodyLimit = 64 * 1_024

    /// Fails for a method other than GET or HEAD.
    public init(address: String, port: Int, path: String = "/", method: String = "GET", host: String? = nil,
                tls: Bool = false, tlsVerify: Bool = true, caFile: String? = nil,
                expectedStatus: [ClosedRange<Int>] = [200...399], bodyContains: String? = nil,
                client: HTTPClient = .shared) throws(CheckSetupError) {
        let hostPart = address.contains(":") ? "[\(address)]" : address
        let scheme = tls ? "https" : "http"
        var label = "\(scheme) \(hostPart):\(port)\(path)"
        if tls, !tlsVerify { label += " (certificate not verified)" }
        guard let parsed = HTTPMethod(rawValue: method), parsed == .get || parsed == .head else {
            throw CheckSetupError(check: label, reason: "method must be GET or HEAD")
        }
        url = "\(scheme)://\(host ?? hostPart):\(port)\(path)"
        self.method = parsed
        self.address = address
        self.host = host
        self.tls = TLSSettings(verify: tlsVerify, caFile: caFile)
        self.expectedStatus = expectedStatus
        self.bodyContains = bodyContains
        self.label = label
        self.client = client
    }

    public func run(deadline: ContinuousClock.Instant, clock: MonotonicClock) async -> CheckResult {
        let started = ContinuousClock.now
        let request = HTTPRequest(method: method, url: url, headers: [HTTPHeader("User-Agent", "vantage-check")], timeout: deadline - started,
                                  connectAddress: host == nil ? nil : address, tls: tls, maximumBodyBytes: Self.bodyLimit,
                                  truncatesBody: true, freshConnection: true)
        let outcome = await client.send(request)
        let finished = ContinuousClock.now
        let time = clock.instant(at: finished)
        switch outcome {
        case .failure(.timedOut):
            return CheckResult(success: false, error: "timeout after \((deadline - started).roundedMilliseconds) ms", time: time)
        case .failure(let failure):
            return CheckResult(success: false, error: failure.description, time: time)
        case .success(let response):
            guard expectedStatus.contains(where: { $0.contains(response.status) }) else {
                return CheckResult(success: false, error: "status \(response.status)", time: time)
            }
            if let bodyContains, method != .head, !String(decoding: response.body, as: UTF8.self).contains(bodyContains) {
                return CheckResult(success: false, error: "body does not contain '\(bodyContains)'", time: time)
            }
            return CheckResult(success: true, rtt: finished - started, time: time)
        }
    }
}
