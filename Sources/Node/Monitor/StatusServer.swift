import HTTP
import IO
import Synchronization

/// The agent's read-only HTTP endpoint on `cluster.status_address`: `GET /status` (JSON),
/// `GET /metrics` (Prometheus text exposition 0.0.4) and `GET /healthz`; `HEAD` of each.
///
/// Nothing here changes state (goavail's status port took a POST that a bad body could crash).
/// With a token configured, every path but `/healthz` needs `Authorization: Bearer <token>`,
/// compared in constant time.
final class StatusServer: Sendable {
    typealias Render = @Sendable () async -> [UInt8]

    /// The bearer token, shared with the request handler and replaced on reload.
    private final class Token: Sendable {
        let bytes: Mutex<[UInt8]?>
        init(_ value: String?) { bytes = Mutex(value.map { Array($0.utf8) }) }
    }

    private let server: HTTPServer
    private let token: Token

    var address: SocketAddress { server.address }
    var statistics: HTTPServer.Statistics { server.statistics }

    init(binding address: SocketAddress, token: String?, status: @escaping Render, metrics: @escaping Render) throws(SystemCallError) {
        let token = Token(token)
        self.token = token
        server = try HTTPServer(binding: address) { request in
            await Self.answer(request, token: token.bytes.withLock { $0 }, status: status, metrics: metrics)
        }
    }

    /// Replaces the bearer token (a reload); nil: no token required.
    func setToken(_ value: String?) { token.bytes.withLock { $0 = value.map { Array($0.utf8) } } }

    func stop() { server.stop() }

    static func answer(_ request: HTTPServerRequest, token: [UInt8]?, status: Render, metrics: Render) async -> HTTPServerReply {
        guard request.method == .get || request.method == .head else {
            return .respond(HTTPServerResponse(status: 405, headers: [HTTPHeader("Allow", "GET, HEAD"),
                                                                       HTTPHeader("Content-Type", "text/plain; charset=utf-8")],
                                               body: Array("the status server is read-only: GET or HEAD\n".utf8)))
        }
        if request.path == "/healthz" { return .respond(HTTPServerResponse(status: 200, text: "ok\n")) }
        guard ["/status", "/metrics"].contains(request.path) else {
            return .respond(HTTPServerResponse(status: 404, text: "not found; try /status, /metrics or /healthz\n"))
        }
        if let token, !authorized(request, token: token) {
            return .respond(HTTPServerResponse(status: 401, headers: [HTTPHeader("WWW-Authenticate", "Bearer"),
                                                                       HTTPHeader("Content-Type", "text/plain; charset=utf-8")],
                                               body: Array("a bearer token is required\n".utf8)))
        }
        if request.path == "/status" {
            return .respond(HTTPServerResponse(status: 200, headers: [HTTPHeader("Content-Type", "application/json")], body: await status()))
        }
        return .respond(HTTPServerResponse(status: 200, headers: [HTTPHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")],
                                           body: await metrics()))
    }

    /// `Authorization: Bearer <token>`, compared without an early exit.
    static func authorized(_ request: HTTPServerRequest, token: [UInt8]) -> Bool {
        guard let header = request.headers.value(of: "Authorization"), header.hasPrefix("Bearer ") else { return false }
        let given = Array(header.utf8.dropFirst(7))
        guard given.count == token.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(given, token) { difference |= a ^ b }
        return difference == 0
    }
}
