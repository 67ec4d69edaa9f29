import Failover
import HTTP

/// Why a Cloudflare call failed, named: the API's own error codes, or what was wrong with the
/// answer, or the transport's failure.
public enum CloudflareError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An envelope with `success: false` (or an HTTP error status) and Cloudflare's codes.
    case api(status: Int, errors: [CloudflareMessage], retryAfter: Duration?)
    /// The body is an HTML page (a proxy's or a load balancer's error page).
    case htmlPage(status: Int)
    /// The body is not JSON (or nests deeper than `JSONValue.maximumNesting`).
    case notJSON(status: Int)
    /// JSON, but not an envelope, or a `result` of the wrong shape.
    case notAnEnvelope(status: Int)
    /// A 3xx: the base URL is wrong or something in between redirects; not followed.
    case redirected(status: Int, location: String?)
    /// No complete answer: timeout, refused or reset connection, TLS, a body past the cap.
    case transport(HTTPFailure)

    /// Authentication codes: 9109 (invalid access token), 10000 (authentication error), 9106 (missing headers).
    public static let authenticationCodes: Set<Int> = [9109, 10000, 9106]

    /// The API's codes, when it gave any.
    public var codes: [Int] {
        if case .api(_, let errors, _) = self { return errors.map(\.code) }
        return []
    }

    /// Whether the same call may succeed if tried again shortly: 429, 5xx, resets and timeouts.
    public var isTransient: Bool {
        switch self {
        case .api(let status, _, _), .htmlPage(let status), .notJSON(let status), .notAnEnvelope(let status):
            return status == 429 || status >= 500
        case .redirected:
            return false
        case .transport(let failure):
            switch failure {
            case .timedOut, .connectionFailed, .transferFailed: return true
            case .tls, .bodyTooLarge, .invalidRequest: return false
            }
        }
    }

    /// The failure in the failover core's terms.
    public var dnsFailure: DNSFailure {
        switch self {
        case .api(let status, let errors, let retryAfter):
            if status == 429 { return .rateLimited(retryAfter: retryAfter ?? .seconds(1)) }
            if status == 401 || status == 403 || errors.contains(where: { Self.authenticationCodes.contains($0.code) }) {
                return .unauthorized(description)
            }
            return isTransient ? .unavailable(description) : .rejected(description)
        case .transport(.timedOut):
            return .timedOut
        default:
            return isTransient ? .unavailable(description) : .rejected(description)
        }
    }

    public var description: String {
        switch self {
        case .api(let status, let errors, _):
            return "HTTP \(status)" + (errors.isEmpty ? "" : ": " + errors.map(\.description).joined(separator: "; "))
        case .htmlPage(let status): return "HTTP \(status) with an HTML page instead of JSON"
        case .notJSON(let status): return "HTTP \(status) with a body that is not JSON"
        case .notAnEnvelope(let status): return "HTTP \(status) with JSON that is not a Cloudflare envelope"
        case .redirected(let status, let location): return "HTTP \(status) redirect to \(location ?? "nowhere") (not followed)"
        case .transport(let failure): return failure.description
        }
    }
}
