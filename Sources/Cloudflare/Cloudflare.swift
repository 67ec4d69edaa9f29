/// Cloudflare API v4, the DNS calls Vantage makes: `GET /zones?name=` (the zone id),
/// `GET /zones/{id}/dns_records?name=&page=&per_page=` (paginated), `POST …/dns_records`,
/// `DELETE …/dns_records/{record}` and `POST …/dns_records/batch` (one transaction: deletes, then
/// posts). `CloudflareClient` makes them; this namespace holds what the configuration needs.
public enum Cloudflare {
    /// The production API base URL; configs may point `api_base_url` elsewhere (tests, compatible APIs).
    public static let defaultBaseURL = "https://api.cloudflare.com/client/v4"

    /// Valid `ttl` values: 1 means "automatic", otherwise 60 through 86,400 seconds.
    public static func isValidTTL(_ ttl: Int) -> Bool { ttl == 1 || (60...86_400).contains(ttl) }
}
