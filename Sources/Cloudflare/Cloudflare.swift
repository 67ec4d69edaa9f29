/// Cloudflare API v4 (see ../shared/cloudflare/README.md). The DNS client — zone lookup, paginated
/// list, create, delete, retries and deadlines — arrives with the failover-path issue; this module
/// holds what the configuration already needs from it.
public enum Cloudflare {
    /// The production API base URL; configs may point `api_base_url` elsewhere (tests, compatible APIs).
    public static let defaultBaseURL = "https://api.cloudflare.com/client/v4"

    /// Valid `ttl` values: 1 means "automatic", otherwise 60 through 86,400 seconds.
    public static func isValidTTL(_ ttl: Int) -> Bool { ttl == 1 || (60...86_400).contains(ttl) }
}
