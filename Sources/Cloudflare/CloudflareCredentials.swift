import HTTP

/// How requests authenticate: a scoped API token (preferred) or goavail's global key with its
/// account e-mail. The description never shows a secret.
public enum CloudflareCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// `Authorization: Bearer <token>`.
    case token(String)
    /// `X-Auth-Email` + `X-Auth-Key` (goavail's `CF_API_EMAIL` / `CF_API_KEY`).
    case globalKey(email: String, key: String)

    /// The headers that carry the credentials.
    public var headers: [HTTPHeader] {
        switch self {
        case .token(let token): return [HTTPHeader("Authorization", "Bearer \(token)")]
        case .globalKey(let email, let key): return [HTTPHeader("X-Auth-Email", email), HTTPHeader("X-Auth-Key", key)]
        }
    }

    public var description: String {
        switch self {
        case .token: return "API token"
        case .globalKey(let email, _): return "global API key of \(email)"
        }
    }

    public var debugDescription: String { description }
}
