import Glibc

/// A non-blocking TCP listening socket. Accepted connections are non-blocking too, for the
/// reactor; every call goes through `SystemCall` (retried on `EINTR`).
public final class TCPListener: Sendable {
    /// The listening descriptor; the owner closes it with `close()` once nothing waits on it.
    public let descriptor: Int32
    /// The bound address, with the kernel's port when 0 was asked for.
    public let localAddress: SocketAddress

    /// Binds and listens on `address` (port 0: any free port) with room for `backlog` pending connects.
    public init(binding address: SocketAddress, backlog: Int32 = 4_096) throws(SystemCallError) {
        let family = address.isIPv6 ? AF_INET6 : AF_INET
        let fd = try SystemCall.retryingOnInterrupt("socket", path: address.description) {
            Glibc.socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        do {
            var one: Int32 = 1
            _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            try SystemCall.retryingOnInterrupt("bind", path: address.description) { address.withSockaddr { Glibc.bind(fd, $0, $1) } }
            try SystemCall.retryingOnInterrupt("listen", path: address.description) { Glibc.listen(fd, backlog) }
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            try SystemCall.retryingOnInterrupt("getsockname", path: address.description) {
                withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
            }
            localAddress = SocketAddress(storage: storage) ?? address
        } catch {
            SystemCall.close(fd)
            throw error
        }
        descriptor = fd
    }

    /// The next pending connection and its peer, nil when none is pending (`EAGAIN`).
    public func accept() throws(SystemCallError) -> (descriptor: Int32, peer: SocketAddress)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let fd = try SystemCall.pending("accept", path: localAddress.description) {
            withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.accept(descriptor, $0, &length) } }
        }
        guard let fd else { return nil }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        guard let peer = SocketAddress(storage: storage) else {
            SystemCall.close(fd)
            return nil
        }
        return (fd, peer)
    }

    /// Wakes anything polling the socket (it reports a hang-up); `close()` follows once the waiter has left.
    public func shutdown() { _ = Glibc.shutdown(descriptor, Int32(SHUT_RDWR)) }

    /// Releases the descriptor.
    public func close() { SystemCall.close(descriptor) }
}
