import HTTP
import IO
import Synchronization

/// An endpoint for a generated cluster to check (the demo's, the end-to-end tests', the
/// benchmark's): an HTTP server answering 200 on an address, stopped and started again on the
/// same port. A TCP check only needs its connect; an HTTP check gets a 200.
public final class LocalEndpoint: Sendable {
    public let ip: String
    public let port: UInt16
    private let server: Mutex<HTTPServer?>

    /// Serves on `ip` at a port the kernel picks.
    public init(ip: String) throws {
        self.ip = ip
        let running = try Self.serve(SocketAddress("\(ip):0")!)
        port = running.address.port
        server = Mutex(running)
    }

    /// Serves again on the same port.
    public func start() throws {
        let running = try Self.serve(SocketAddress("\(ip):\(port)")!)
        server.withLock { $0 = running }
    }

    /// Closes the port: connects are refused until `start`.
    public func stop() {
        server.withLock {
            $0?.stop()
            $0 = nil
        }
    }

    private static func serve(_ address: SocketAddress) throws -> HTTPServer {
        try HTTPServer(binding: address) { _ in .respond(HTTPServerResponse(status: 200, text: "ok\n")) }
    }
}
