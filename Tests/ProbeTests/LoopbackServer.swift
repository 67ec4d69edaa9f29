import Foundation
import Glibc
import IO
import Synchronization

/// A real TCP listener on 127.0.0.1 for the probe tests. `behaviour` decides what each accepted
/// connection gets; it can change while the server runs, and `close()` stops listening so
/// connects are refused.
final class LoopbackServer: Sendable {
    enum Behaviour: Sendable {
        /// Accept and keep the connection open without writing.
        case silent
        /// Read until `request` arrived, then write `response`.
        case answer(request: String, response: String)
        /// An HTTP/1.1 response with this status and body to whatever request arrives.
        case http(status: Int, body: String)
    }

    let address: SocketAddress
    private let listener: Int32
    private let state: Mutex<(behaviour: Behaviour, open: [Int32], closed: Bool)>
    /// Signalled when the accept thread has stopped touching `listener`, so its descriptor
    /// number cannot be reused under it (it would then accept another server's connections).
    private let acceptStopped = DispatchSemaphore(value: 0)

    init(_ behaviour: Behaviour) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let any = SocketAddress("127.0.0.1:0")!
        guard any.withSockaddr({ bind(descriptor, $0, $1) }) == 0, listen(descriptor, 1_024) == 0 else {
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
        listener = descriptor
        address = SocketAddress(storage: storage)!
        state = Mutex((behaviour, [], false))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    func set(_ behaviour: Behaviour) { state.withLock { $0.behaviour = behaviour } }

    /// Stops listening and closes every held connection: new connects are refused.
    func close() {
        let descriptors = state.withLock { state -> [Int32] in
            state.closed = true
            defer { state.open = [] }
            return state.open
        }
        shutdown(listener, Int32(SHUT_RDWR))  // wakes the blocked accept
        acceptStopped.wait()
        Glibc.close(listener)
        for descriptor in descriptors { Glibc.close(descriptor) }
    }

    deinit { if !state.withLock({ $0.closed }) { close() } }

    private func acceptLoop() {
        defer { acceptStopped.signal() }
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            let behaviour = state.withLock { state -> Behaviour? in
                guard !state.closed else { return nil }
                state.open.append(connection)
                return state.behaviour
            }
            guard let behaviour else { Glibc.close(connection); return }
            let thread = Thread { Self.serve(connection, behaviour) }
            thread.start()
        }
    }

    private static func serve(_ connection: Int32, _ behaviour: Behaviour) {
        switch behaviour {
        case .silent:
            return
        case .answer(let request, let response):
            guard readUntil(connection, request) else { return }
            _ = response.withCString { send(connection, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        case .http(let status, let body):
            guard readUntil(connection, "\r\n\r\n") else { return }
            let response = "HTTP/1.1 \(status) Status\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
            _ = response.withCString { send(connection, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
            shutdown(connection, Int32(SHUT_WR))
        }
    }

    private static func readUntil(_ connection: Int32, _ marker: String) -> Bool {
        var received = ""
        var chunk = [UInt8](repeating: 0, count: 1_024)
        while !received.contains(marker) {
            let count = recv(connection, &chunk, chunk.count, 0)
            guard count > 0 else { return false }
            received += String(decoding: chunk[0..<count], as: UTF8.self)
        }
        return true
    }
}
