import Glibc
import IO

/// A loopback TCP client for feeding the server hostile bytes. Non-blocking, waiting on the
/// reactor, so a test never blocks the cooperative pool the server runs on.
struct RawClient: Sendable {
    let descriptor: Int32
    /// How long a read waits for the peer before giving up.
    let patience: Duration

    init(_ address: SocketAddress, patience: Duration = .seconds(15)) async throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        self.patience = patience
        if address.withSockaddr({ connect(descriptor, $0, $1) }) != 0 {
            guard errno == EINPROGRESS, await Reactor.shared.wait(descriptor, for: .writable, until: .now + patience) else {
                Glibc.close(descriptor)
                throw ConnectFailed(errno: errno)
            }
        }
    }

    /// Sends every byte; false once the peer is gone.
    @discardableResult
    func send(_ bytes: [UInt8]) async -> Bool {
        var written = 0
        let deadline = ContinuousClock.now + patience
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + written, $0.count - written, Int32(MSG_NOSIGNAL)) }
            if count > 0 {
                written += count
            } else if count < 0, errno == EAGAIN, await Reactor.shared.wait(descriptor, for: .writable, until: deadline) {
                continue
            } else {
                return false
            }
        }
        return true
    }

    @discardableResult
    func send(_ text: String) async -> Bool { await send(Array(text.utf8)) }

    /// Everything until the peer closes (or `patience` runs out).
    func readToEnd() async -> String {
        await read(untilClosed: true)
    }

    /// The first bytes to arrive, or "" when the peer closed first.
    func readSome() async -> String {
        await read(untilClosed: false)
    }

    private func read(untilClosed: Bool) async -> String {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let deadline = ContinuousClock.now + patience
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received += chunk[..<count]
                if !untilClosed { break }
            } else if count < 0, errno == EAGAIN, await Reactor.shared.wait(descriptor, for: .readable, until: deadline) {
                continue
            } else {
                break
            }
        }
        return String(decoding: received, as: UTF8.self)
    }

    func close() { Glibc.close(descriptor) }
}

struct ConnectFailed: Error { let errno: Int32 }
