import Glibc

/// A bound, blocking UDP socket. Every system call is wrapped once (`SystemCall`), retried on
/// `EINTR`; `receive` waits with `poll` so a reader thread can notice shutdown.
public final class UDPSocket: Sendable {
    private let descriptor: Int32
    /// The address the socket is bound to (with the kernel's port when 0 was asked for).
    public let localAddress: SocketAddress

    /// Receive buffer asked of the kernel, so bursts (a join, a vote round) are not dropped.
    static let receiveBufferBytes: Int32 = 4 << 20

    /// Binds to `address` (port 0: any free port).
    public init(binding address: SocketAddress) throws(SystemCallError) {
        let family = address.isIPv6 ? AF_INET6 : AF_INET
        descriptor = try SystemCall.retryingOnInterrupt("socket", path: address.description) {
            Glibc.socket(family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        do {
            var size = Self.receiveBufferBytes
            _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            let fd = descriptor
            try SystemCall.retryingOnInterrupt("bind", path: address.description) {
                address.withSockaddr { Glibc.bind(fd, $0, $1) }
            }
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            try SystemCall.retryingOnInterrupt("getsockname", path: address.description) {
                withUnsafeMutablePointer(to: &storage) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
                }
            }
            localAddress = SocketAddress(storage: storage) ?? address
        } catch {
            SystemCall.close(descriptor)
            throw error
        }
    }

    deinit { SystemCall.close(descriptor) }

    /// Sends one datagram. UDP gives no delivery guarantee; a full send buffer is reported.
    public func send(_ bytes: [UInt8], to address: SocketAddress) throws(SystemCallError) {
        try SystemCall.retryingOnInterrupt("sendto", path: address.description) {
            address.withSockaddr { target, length in
                bytes.withUnsafeBytes { Glibc.sendto(descriptor, $0.baseAddress, $0.count, 0, target, length) }
            }
        }
    }

    /// The next datagram and its source, or nil when none arrived within `timeoutMilliseconds`.
    /// Datagrams longer than `maximumLength` are truncated by the kernel; callers size it above
    /// the protocol's limit so a truncated datagram fails authentication.
    public func receive(maximumLength: Int, timeoutMilliseconds: Int32) throws(SystemCallError) -> (bytes: [UInt8], from: SocketAddress)? {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let ready = try SystemCall.retryingOnInterrupt("poll", path: localAddress.description) { poll(&poller, 1, timeoutMilliseconds) }
        guard ready > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: maximumLength)
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let count = try SystemCall.retryingOnInterrupt("recvfrom", path: localAddress.description) {
            withUnsafeMutablePointer(to: &storage) { source in
                source.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                    buffer.withUnsafeMutableBytes { Glibc.recvfrom(descriptor, $0.baseAddress, $0.count, 0, address, &length) }
                }
            }
        }
        guard let source = SocketAddress(storage: storage) else { return nil }
        return (Array(buffer.prefix(count)), source)
    }
}
