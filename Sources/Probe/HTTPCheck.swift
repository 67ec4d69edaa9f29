import Failover
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import IO
import Synchronization

/// An HTTP(S) check: GET (or HEAD) against the endpoint's own address, an optional Host header,
/// an expected status set (default 200–399) and an optional body substring. The deadline is
/// Vantage's own: the request is cancelled when it passes (Linux ignores
/// `timeoutIntervalForResource` and rounds request timeouts to whole seconds).
public struct HTTPCheck: HealthCheck {
    public let url: URL
    public let method: String
    public let host: String?
    public let expectedStatus: [ClosedRange<Int>]
    public let bodyContains: String?
    public let label: String

    /// One session for the process: per-request sessions leak and crash on Linux.
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalAndRemoteCacheData
        configuration.httpShouldSetCookies = false
        configuration.httpMaximumConnectionsPerHost = 64
        return URLSession(configuration: configuration)
    }()

    /// Fails when `address`/`port`/`path` do not make a URL.
    public init(address: String, port: Int, path: String = "/", method: String = "GET", host: String? = nil,
                tls: Bool = false, expectedStatus: [ClosedRange<Int>] = [200...399], bodyContains: String? = nil) throws(CheckSetupError) {
        let hostPart = address.contains(":") ? "[\(address)]" : address
        let label = "http\(tls ? "s" : "") \(hostPart):\(port)\(path)"
        guard let url = URL(string: "\(tls ? "https" : "http")://\(hostPart):\(port)\(path)") else {
            throw CheckSetupError(check: label, reason: "not a valid URL")
        }
        self.url = url
        self.method = method
        self.host = host
        self.expectedStatus = expectedStatus
        self.bodyContains = bodyContains
        self.label = label
    }

    public func run(deadline: ContinuousClock.Instant, clock: MonotonicClock) async -> CheckResult {
        let started = ContinuousClock.now
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.setValue("close", forHTTPHeaderField: "Connection")
        request.setValue("vantage-check", forHTTPHeaderField: "User-Agent")
        if let host { request.setValue(host, forHTTPHeaderField: "Host") }
        // A backstop only; the deadline below is what counts.
        request.timeoutInterval = max(1, ((deadline - started) / .seconds(1)).rounded(.up) + 1)
        let outcome = await fetch(request, deadline: deadline)
        let finished = ContinuousClock.now
        let time = clock.instant(at: finished)
        switch outcome {
        case .timedOut:
            return CheckResult(success: false, error: "timeout after \((deadline - started).roundedMilliseconds) ms", time: time)
        case .failed(let reason):
            return CheckResult(success: false, error: reason, time: time)
        case .answered(let status, let body):
            guard expectedStatus.contains(where: { $0.contains(status) }) else {
                return CheckResult(success: false, error: "status \(status)", time: time)
            }
            if let bodyContains, method != "HEAD", !String(decoding: body, as: UTF8.self).contains(bodyContains) {
                return CheckResult(success: false, error: "body does not contain '\(bodyContains)'", time: time)
            }
            return CheckResult(success: true, rtt: finished - started, time: time)
        }
    }

    private enum Outcome: Sendable {
        case answered(status: Int, body: Data)
        case failed(String)
        case timedOut
    }

    /// The response, or `.timedOut` exactly at the deadline, whichever comes first; the loser is
    /// cancelled and ignored.
    private func fetch(_ request: URLRequest, deadline: ContinuousClock.Instant) async -> Outcome {
        let pending = Mutex<CheckedContinuation<Outcome, Never>?>(nil)
        let finish: @Sendable (Outcome) -> Void = { outcome in
            pending.withLock { continuation in
                continuation?.resume(returning: outcome)
                continuation = nil
            }
        }
        return await withCheckedContinuation { continuation in
            pending.withLock { $0 = continuation }
            let task = Self.session.dataTask(with: request) { data, response, error in
                if let response = response as? HTTPURLResponse {
                    finish(.answered(status: response.statusCode, body: data ?? Data()))
                } else {
                    finish(.failed(error.map { $0.localizedDescription } ?? "no HTTP response"))
                }
            }
            task.resume()
            Task {
                try? await Task.sleep(until: deadline, clock: .continuous)
                finish(.timedOut)
                task.cancel()
            }
        }
    }
}
