/// What goavail took from its command line rather than its file: the check type (`-t ip`, ICMP
/// and its default, or `-t tcp`, a connect to each configured port) and the DNS provider
/// (`-p cloudflare`, its default, or `-p route53`). They shape how a goavail.toml is read; nil
/// means the flag was not given.
public struct GoavailOptions: Sendable, Equatable {
    /// goavail's `-t/--type`.
    public enum CheckType: String, Sendable, CaseIterable {
        /// ICMP echo to every address (goavail's default).
        case ip
        /// A TCP connect to every address on each of `port`/`ports`.
        case tcp
    }

    /// goavail's `-p/--dns-provider`.
    public enum Provider: String, Sendable {
        case cloudflare
        case route53
    }

    public var checkType: CheckType?
    public var provider: Provider?

    public init(checkType: CheckType? = nil, provider: Provider? = nil) {
        self.checkType = checkType
        self.provider = provider
    }
}
