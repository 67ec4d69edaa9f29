import Glibc
import IO
import Synchronization

/// An HTTP/1.1 server on the IO reactor: a task accepts, one task per connection reads each
/// request within `limits.requestTimeout`, asks the handler, writes the reply, and keeps the
/// connection for the next request unless either side says close. Serves the Cloudflare fake
/// and the status endpoint.
public final class HTTPServer: Sendable {
    public typealias Handler = @Sendable (HTTPServerRequest) async -> HTTPServerReply

    /// Counters since start.
    public struct Statistics: Sendable, Equatable {
        /// Connections accepted and served.
        public var accepted = 0
        /// Connections answered 503 because `maximumConnections` were open.
        public var refused = 0
        /// Connections open now.
        public var open = 0
        /// The most connections open at once.
        public var peakOpen = 0
    }

    private struct State {
        var statistics = Statistics()
        var descriptors: Set<Int32> = []
        var stopped = false
    }

    /// The address the server listens on (with the kernel's port when 0 was asked for).
    public let address: SocketAddress
    private let listener: TCPListener
    private let limits: HTTPServerLimits
    private let handler: Handler
    private let reactor: Reactor
    private let state = Mutex(State())

    /// Listens on `address` and starts serving.
    public init(binding address: SocketAddress, limits: HTTPServerLimits = HTTPServerLimits(), reactor: Reactor = .shared,
                handler: @escaping Handler) throws(SystemCallError) {
        listener = try TCPListener(binding: address)
        self.address = listener.localAddress
        self.limits = limits
        self.handler = handler
        self.reactor = reactor
        Task { await acceptLoop() }
    }

    public var statistics: Statistics { state.withLock { $0.statistics } }

    /// Stops accepting and ends every connection (each closes its own descriptor once woken).
    public func stop() {
        state.withLock { state in
            state.stopped = true
            listener.shutdown()
            for descriptor in state.descriptors { _ = Glibc.shutdown(descriptor, Int32(SHUT_RDWR)) }
        }
    }

    private static let overloaded = HTTPServerResponse(status: 503, text: "too many connections\n").bytes(keepAlive: false, includeBody: true)

    private func acceptLoop() async {
        while !state.withLock({ $0.stopped }) {
            let accepted: (descriptor: Int32, peer: SocketAddress)?
            do {
                accepted = try listener.accept()
            } catch {
                // Out of descriptors (EMFILE) or a connection reset before accept: pause, do not spin.
                try? await Task.sleep(for: .milliseconds(20))
                continue
            }
            guard let (descriptor, peer) = accepted else {
                _ = await reactor.wait(listener.descriptor, for: .readable, until: .now + .seconds(1))
                continue
            }
            let admitted = state.withLock { state -> Bool in
                guard !state.stopped, state.statistics.open < limits.maximumConnections else {
                    state.statistics.refused += 1
                    return false
                }
                state.statistics.accepted += 1
                state.statistics.open += 1
                state.statistics.peakOpen = max(state.statistics.peakOpen, state.statistics.open)
                state.descriptors.insert(descriptor)
                return true
            }
            if admitted {
                let connection = HTTPConnection(descriptor: descriptor, peer: peer, limits: limits, reactor: reactor, handler: handler)
                Task {
                    await connection.serve()
                    release(descriptor)
                }
            } else {
                _ = try? SystemCall.send(descriptor, Self.overloaded, from: 0)
                SystemCall.close(descriptor)
            }
        }
        listener.close()
    }

    /// Closes a finished connection under the lock, so `stop` never shuts a reused descriptor number.
    private func release(_ descriptor: Int32) {
        state.withLock { state in
            state.descriptors.remove(descriptor)
            state.statistics.open -= 1
            SystemCall.close(descriptor)
        }
    }
}
