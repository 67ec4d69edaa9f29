/// How an HTTPS request verifies its peer. Verification is on by default: the certificate must
/// chain to a trusted CA (the system store, or `caFile`) and name the URL's host.
public struct TLSSettings: Sendable, Hashable {
    /// Whether the peer certificate and its name are verified. Off only when an operator says so.
    public var verify: Bool
    /// A PEM bundle of CAs to trust instead of the system store.
    public var caFile: String?

    public init(verify: Bool = true, caFile: String? = nil) {
        self.verify = verify
        self.caFile = caFile
    }
}
