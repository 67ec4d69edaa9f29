import Failover
import Glibc
import IO

/// A TCP check (AWSnycast's tcp check): a non-blocking connect that must complete before the
/// deadline, then optionally `send` bytes and wait for an `expect` substring, also before the
/// deadline. The RTT is the time to connect (or, with `expect`, until it arrived).
public struct TCPCheck: HealthCheck {
    public let address: SocketAddress
    public let send: [UInt8]
    public let expect: [UInt8]?
    public let label: String
    private let reactor: Reactor

    /// Most bytes read while looking for `expect`, so a chatty endpoint cannot grow memory.
    static let readLimit = 64 * 1_024

    public init(address: SocketAddress, send: String? = nil, expect: String? = nil, reactor: Reactor = .shared) {
        self.address = address
        self.send = Array((send ?? "").utf8)
        self.expect = expect.map { Array($0.utf8) }
        self.reactor = reactor
        label = "tcp \(address)"
    }

    public func run(deadline: ContinuousClock.Instant, clock: MonotonicClock) async -> CheckResult {
        let started = ContinuousClock.now
        let outcome = await attempt(deadline: deadline, timeout: "timeout after \((deadline - started).roundedMilliseconds) ms")
        let finished = ContinuousClock.now
        switch outcome {
        case .success:
            return CheckResult(success: true, rtt: finished - started, time: clock.instant(at: finished))
        case .failure(let reason):
            return CheckResult(success: false, error: reason, time: clock.instant(at: finished))
        }
    }

    private enum Outcome { case success, failure(String) }

    private func attempt(deadline: ContinuousClock.Instant, timeout: String) async -> Outcome {
        let family = address.isIPv6 ? AF_INET6 : AF_INET
        let descriptor = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return .failure("socket: \(Self.reason(errno))") }
        // Close with a reset: no FIN exchange and no TIME_WAIT socket left per check (1,000
        // checks a second would otherwise keep 60,000 of them around).
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        defer { SystemCall.close(descriptor) }

        let connected = address.withSockaddr { pointer, length in connect(descriptor, pointer, length) }
        if connected != 0 {
            let code = errno
            guard code == EINPROGRESS || code == EINTR else { return .failure("connect: \(Self.reason(code))") }
            // A nearby endpoint has often answered already; only a pending connect goes to the reactor.
            var probe = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            if poll(&probe, 1, 0) != 1 {
                guard await reactor.wait(descriptor, for: .writable, until: deadline) else { return .failure(timeout) }
            }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length)
            guard error == 0 else { return .failure("connect: \(Self.reason(error))") }
        }
        if !send.isEmpty, case .failure(let reason) = await write(descriptor, deadline: deadline, timeout: timeout) { return .failure(reason) }
        guard let expect else { return .success }
        return await read(descriptor, until: expect, deadline: deadline, timeout: timeout)
    }

    private func write(_ descriptor: Int32, deadline: ContinuousClock.Instant, timeout: String) async -> Outcome {
        var written = 0
        while written < send.count {
            let count = send.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + written, $0.count - written, Int32(MSG_NOSIGNAL)) }
            if count > 0 {
                written += count
            } else if count < 0, errno == EAGAIN || errno == EINTR {
                guard await reactor.wait(descriptor, for: .writable, until: deadline) else { return .failure(timeout) }
            } else {
                return .failure("send: \(Self.reason(errno))")
            }
        }
        return .success
    }

    private func read(_ descriptor: Int32, until expected: [UInt8], deadline: ContinuousClock.Instant, timeout: String) async -> Outcome {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4_096)
        while received.count < Self.readLimit {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received += chunk[0..<count]
                if Self.contains(received, expected) { return .success }
            } else if count == 0 {
                return .failure("connection closed before \(Self.quoted(expected)) arrived")
            } else if errno == EAGAIN || errno == EINTR {
                guard await reactor.wait(descriptor, for: .readable, until: deadline) else {
                    return .failure("\(timeout) waiting for \(Self.quoted(expected))")
                }
            } else {
                return .failure("recv: \(Self.reason(errno))")
            }
        }
        return .failure("\(Self.quoted(expected)) not in the first \(Self.readLimit) bytes")
    }


    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { start in haystack[start..<start + needle.count].elementsEqual(needle) }
    }

    static func quoted(_ bytes: [UInt8]) -> String { "'\(String(decoding: bytes, as: UTF8.self))'" }

    static func reason(_ code: Int32) -> String { String(cString: strerror(code)).lowercased() }
}
