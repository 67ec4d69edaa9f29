import HTTP

/// Where and how the client talks to the API.
public struct CloudflareSettings: Sendable {
    /// `https://api.cloudflare.com/client/v4`, or a compatible API, or a test fake.
    public var baseURL: String
    /// The zone the managed names live in (`example.com`).
    public var zoneName: String
    public var credentials: CloudflareCredentials
    /// Whether to send plans to `/dns_records/batch`. Even when on, an API that answers the batch
    /// path with 404/405 is remembered as lacking it and gets single calls instead.
    public var useBatch: Bool
    /// Most changes in one batch request (Cloudflare's free plan: 200); larger plans are split.
    public var maximumBatchChanges: Int
    /// Records per list page (the API allows up to 5,000,000; 100 is its default).
    public var perPage: Int
    public var backoff: RetryBackoff
    public var rateLimit: TokenBucket
    public var tls: TLSSettings
    /// Most bytes of one answer.
    public var maximumBodyBytes: Int
    /// Sent as `User-Agent` on every request, so the provider's audit log names the agent
    /// (`vantage (node fra)`).
    public var userAgent: String

    public init(baseURL: String = Cloudflare.defaultBaseURL, zoneName: String, credentials: CloudflareCredentials,
                useBatch: Bool = true, maximumBatchChanges: Int = 200, perPage: Int = 100, backoff: RetryBackoff = RetryBackoff(),
                rateLimit: TokenBucket = TokenBucket(), tls: TLSSettings = TLSSettings(), maximumBodyBytes: Int = 8 << 20,
                userAgent: String = "vantage") {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.zoneName = zoneName
        self.credentials = credentials
        self.useBatch = useBatch
        self.maximumBatchChanges = maximumBatchChanges
        self.perPage = perPage
        self.backoff = backoff
        self.rateLimit = rateLimit
        self.tls = tls
        self.maximumBodyBytes = maximumBodyBytes
        self.userAgent = userAgent
    }
}
