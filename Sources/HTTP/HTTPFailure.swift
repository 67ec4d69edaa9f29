/// Why a request got no complete response. Descriptions carry libcurl's message, never a header.
public enum HTTPFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The request's timeout passed first.
    case timedOut
    /// No connection: refused, unreachable, or the name did not resolve.
    case connectionFailed(String)
    /// The TLS handshake or the peer's certificate failed.
    case tls(String)
    /// The body grew past the request's cap.
    case bodyTooLarge(limit: Int)
    /// The connection broke after it was made (a reset, a truncated body).
    case transferFailed(String)
    /// The request could not be set up (a malformed URL, an unsupported scheme).
    case invalidRequest(String)

    public var description: String {
        switch self {
        case .timedOut: return "timed out"
        case .connectionFailed(let why): return "connection failed: \(why)"
        case .tls(let why): return "TLS failure: \(why)"
        case .bodyTooLarge(let limit): return "response body larger than \(limit) bytes"
        case .transferFailed(let why): return "transfer failed: \(why)"
        case .invalidRequest(let why): return "invalid request: \(why)"
        }
    }
}
