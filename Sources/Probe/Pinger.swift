import Foundation
import Glibc
import IO
import Synchronization

/// One ICMP echo socket per address family, shared by every ICMP check of the process.
///
/// A dedicated reader thread drains replies (4 MB receive buffer) so load never looks like
/// loss; a reply is matched to its request by sequence number, source address and a random
/// per-process token in the payload (replies to other processes' pings are ignored); the RTT
/// comes from the send timestamp carried in the payload. A raw socket needs root or
/// CAP_NET_RAW; without it an unprivileged ICMP datagram socket is used where
/// `net.ipv4.ping_group_range` allows (the kernel then owns the identifier).
public final class Pinger: Sendable {
    public enum Family: Sendable { case v4, v6 }

    /// What one echo produced.
    public enum Reply: Sendable, Equatable {
        case answered(rtt: Duration)
        case timedOut
        case sendFailed(String)
    }

    public let family: Family
    /// Whether the socket is raw (true) or an unprivileged datagram socket.
    public let isRaw: Bool
    private let descriptor: Int32
    private let identifier: UInt16
    private let token: UInt64
    private let origin = ContinuousClock.now

    private struct Pending {
        let target: [UInt8]
        let continuation: CheckedContinuation<Reply, Never>
        let deadline: ContinuousClock.Instant
    }

    private struct State {
        var sequence: UInt16 = 0
        var pending: [UInt16: Pending] = [:]
        var replies = 0
        var strays = 0
    }

    private let state = Mutex(State())

    /// How often the reader looks for expired requests when no reply wakes it.
    static let tickMilliseconds: Int32 = 10

    private static let shared = Mutex<[Family: Result<Pinger, CheckSetupError>]>([:])

    /// The process's pinger for `family`, created on first use; a failure (no permission) is
    /// remembered and reported to every check that asks, never retried in a loop.
    public static func shared(_ family: Family, for check: String) throws(CheckSetupError) -> Pinger {
        let result = shared.withLock { cache -> Result<Pinger, CheckSetupError> in
            if let cached = cache[family] { return cached }
            let created = Result { () throws(CheckSetupError) -> Pinger in try Pinger(family: family) }
            cache[family] = created
            return created
        }
        switch result {
        case .success(let pinger): return pinger
        case .failure(let error): throw CheckSetupError(check: check, reason: error.reason)
        }
    }

    init(family: Family) throws(CheckSetupError) {
        self.family = family
        let domain = family == .v4 ? AF_INET : AF_INET6
        let proto = family == .v4 ? Int32(IPPROTO_ICMP) : Int32(IPPROTO_ICMPV6)
        var raw = true
        var descriptor = socket(domain, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), proto)
        if descriptor < 0, errno == EPERM || errno == EACCES {
            raw = false
            descriptor = socket(domain, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), proto)
        }
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw CheckSetupError(check: "icmp", reason: "cannot open an ICMP socket (\(reason)); run as root or grant CAP_NET_RAW (setcap cap_net_raw+ep), allow unprivileged ping with sysctl net.ipv4.ping_group_range, or use a tcp check")
        }
        var size: Int32 = 4 << 20
        setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        self.descriptor = descriptor
        isRaw = raw
        identifier = UInt16(truncatingIfNeeded: getpid())
        var random = SystemRandomNumberGenerator()
        token = random.next()
        let thread = Thread { [self] in readLoop() }
        thread.name = "vantage-icmp-\(family == .v4 ? "v4" : "v6")"
        thread.start()
    }

    /// Replies matched, and datagrams ignored (other processes' pings, other ICMP types), so far.
    public var counts: (replies: Int, strays: Int) { state.withLock { ($0.replies, $0.strays) } }

    /// Sends one echo request to `target` (4 or 16 address bytes) and waits for its reply until
    /// `deadline`; a reply after the deadline counts as lost.
    public func ping(_ target: [UInt8], until deadline: ContinuousClock.Instant) async -> Reply {
        await withCheckedContinuation { continuation in
            let sequence = state.withLock { state -> UInt16 in
                repeat { state.sequence &+= 1 } while state.pending[state.sequence] != nil
                state.pending[state.sequence] = Pending(target: target, continuation: continuation, deadline: deadline)
                return state.sequence
            }
            let packet = EchoPacket.request(v6: family == .v6, identifier: identifier, sequence: sequence, token: token,
                                            timestamp: nanoseconds(since: origin))
            let address = SocketAddress(ip: target, port: 0)
            let sent = address.withSockaddr { pointer, length in
                packet.withUnsafeBytes { sendto(descriptor, $0.baseAddress, $0.count, 0, pointer, length) }
            }
            if sent < 0 {
                let reason = String(cString: strerror(errno))
                if let pending = state.withLock({ $0.pending.removeValue(forKey: sequence) }) {
                    pending.continuation.resume(returning: .sendFailed("sendto: \(reason.lowercased())"))
                }
                return
            }
        }
    }

    private func nanoseconds(since origin: ContinuousClock.Instant) -> UInt64 {
        let elapsed = ContinuousClock.now - origin
        return UInt64(elapsed.components.seconds) * 1_000_000_000 + UInt64(elapsed.components.attoseconds / 1_000_000_000)
    }

    private func readLoop() {
        var buffer = [UInt8](repeating: 0, count: 2_048)
        while true {
            // Replies wake the reader; deadlines are checked at least every `tick`, so a request
            // needs no wake-up of its own and a timeout is reported at most one tick late.
            var descriptors = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            _ = poll(&descriptors, 1, Self.tickMilliseconds)
            var resumptions: [(CheckedContinuation<Reply, Never>, Reply)] = []
            // Drain every queued datagram before looking at deadlines, so a reply that arrived in
            // time is never counted as a timeout.
            while true {
                var source = sockaddr_storage()
                var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
                let count = withUnsafeMutablePointer(to: &source) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(descriptor, &buffer, buffer.count, 0, $0, &length) }
                }
                if count < 0 { if errno == EINTR { continue } else { break } }
                guard let from = SocketAddress(storage: source),
                      let reply = EchoPacket.parseReply(buffer[0..<count], v6: family == .v6, raw: isRaw),
                      reply.token == token, !isRaw || reply.identifier == identifier else {
                    state.withLock { $0.strays += 1 }
                    continue
                }
                let rtt = Duration.nanoseconds(Int64(nanoseconds(since: origin) &- reply.timestamp))
                let matched = state.withLock { state -> CheckedContinuation<Reply, Never>? in
                    guard let pending = state.pending[reply.sequence], pending.target == from.ip else {
                        state.strays += 1
                        return nil
                    }
                    state.pending[reply.sequence] = nil
                    state.replies += 1
                    return pending.continuation
                }
                if let matched { resumptions.append((matched, .answered(rtt: rtt))) }
            }
            state.withLock { state in
                let now = ContinuousClock.now
                for (sequence, pending) in state.pending where pending.deadline <= now {
                    state.pending[sequence] = nil
                    resumptions.append((pending.continuation, .timedOut))
                }
            }
            for (continuation, reply) in resumptions { continuation.resume(returning: reply) }
        }
    }
}
