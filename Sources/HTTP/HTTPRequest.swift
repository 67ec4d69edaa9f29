/// One request for `HTTPClient`. `timeout` bounds the whole exchange (connect, TLS, send, the
/// full response) and is enforced by libcurl in milliseconds.
public struct HTTPRequest: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public var method: HTTPMethod
    /// An absolute `http://` or `https://` URL. Its host is the name the request speaks as: the
    /// Host header, the TLS SNI name and the name the certificate is verified against.
    public var url: String
    public var headers: [HTTPHeader]
    public var body: [UInt8]
    public var timeout: Duration
    /// Connect to this numeric IP address instead of resolving the URL's host, while still
    /// speaking as the host (libcurl's `CURLOPT_CONNECT_TO`).
    public var connectAddress: String?
    public var tls: TLSSettings
    /// Most response body bytes read; a longer body fails with `HTTPFailure.bodyTooLarge`, or
    /// with `truncatesBody` ends the transfer there and answers with the first bytes.
    public var maximumBodyBytes: Int
    /// Whether a body past `maximumBodyBytes` is cut rather than failed (health checks read at
    /// most 64 KiB of a page, whatever its size).
    public var truncatesBody: Bool
    /// Open a new connection and close it afterwards (health checks test the endpoint's
    /// accepting connections); otherwise connections to the same host are reused.
    public var freshConnection: Bool

    public init(method: HTTPMethod = .get, url: String, headers: [HTTPHeader] = [], body: [UInt8] = [],
                timeout: Duration, connectAddress: String? = nil, tls: TLSSettings = TLSSettings(),
                maximumBodyBytes: Int = 1 << 20, truncatesBody: Bool = false, freshConnection: Bool = false) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectAddress = connectAddress
        self.tls = tls
        self.maximumBodyBytes = maximumBodyBytes
        self.truncatesBody = truncatesBody
        self.freshConnection = freshConnection
    }

    /// Method, URL and headers with every credential redacted.
    public var description: String {
        let headerText = headers.map(\.redacted).joined(separator: ", ")
        let via = connectAddress.map { " via \($0)" } ?? ""
        return "\(method.rawValue) \(url)\(via) [\(headerText)] (\(body.count) body bytes)"
    }

    public var debugDescription: String { description }
}
