/// What one client may ask of `HTTPServer`. Past a bound the request is answered with the
/// status that names it (400, 405, 413, 431, 503) or the connection is dropped.
public struct HTTPServerLimits: Sendable {
    /// Longest request line (`GET /path HTTP/1.1`), in bytes; longer is 400.
    public var maximumRequestLineBytes = 8 * 1_024
    /// Most header lines; more is 431.
    public var maximumHeaderCount = 100
    /// Most bytes of all header lines together; more is 431.
    public var maximumHeaderBytes = 16 * 1_024
    /// Longest body (`Content-Length`); longer is 413.
    public var maximumBodyBytes = 1 << 20
    /// Time a connection has for each whole request (head and body) from when the server is
    /// ready for it, so a slow or silent client cannot hold a connection; then it is dropped.
    public var requestTimeout: Duration = .seconds(10)
    /// Most open connections; one more is answered 503 and closed.
    public var maximumConnections = 1_024
    /// The methods served; any other is 405.
    public var methods: Set<HTTPMethod> = Set(HTTPMethod.allCases)

    public init() {}
}
