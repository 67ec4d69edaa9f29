import Foundation
import Glibc
import Synchronization

/// One `poll` thread that wakes every check waiting on a socket: `wait` suspends the caller
/// (never blocking the cooperative pool) until the descriptor is ready or the deadline passes.
/// A thousand TCP checks a second share this one thread; at any instant only the few still
/// connecting are registered.
public final class Reactor: Sendable {
    /// The process's reactor.
    public static let shared = Reactor()

    public enum Interest: Sendable { case readable, writable }

    private struct Waiter {
        let interest: Interest
        let continuation: CheckedContinuation<Bool, Never>
        let deadline: ContinuousClock.Instant
    }

    /// A pipe whose read end wakes `poll` when a waiter is added.
    private let wakeRead: Int32, wakeWrite: Int32
    private let waiters = Mutex<[Int32: Waiter]>([:])

    private init() {
        var ends: [Int32] = [0, 0]
        precondition(pipe(&ends) == 0, "pipe failed: \(String(cString: strerror(errno)))")
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        (wakeRead, wakeWrite) = (ends[0], ends[1])
        let thread = Thread { [self] in loop() }
        thread.name = "vantage-probe-reactor"
        thread.start()
    }

    /// True when `descriptor` became ready for `interest` (or reported an error, which the
    /// caller reads from the socket) before `deadline`. The caller keeps owning the descriptor.
    public func wait(_ descriptor: Int32, for interest: Interest, until deadline: ContinuousClock.Instant) async -> Bool {
        await withCheckedContinuation { continuation in
            waiters.withLock { $0[descriptor] = Waiter(interest: interest, continuation: continuation, deadline: deadline) }
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
        }
    }

    private func loop() {
        while true {
            let (descriptors, timeout) = waiters.withLock { waiters -> ([pollfd], Int32) in
                var descriptors = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
                for (descriptor, waiter) in waiters {
                    descriptors.append(pollfd(fd: descriptor, events: Int16(waiter.interest == .readable ? POLLIN : POLLOUT), revents: 0))
                }
                guard let nearest = waiters.values.map(\.deadline).min() else { return (descriptors, 1_000) }
                let remaining = nearest - .now
                let milliseconds = remaining.components.seconds * 1_000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1
                return (descriptors, Int32(clamping: max(0, min(1_000, milliseconds))))
            }
            var polled = descriptors
            let count = poll(&polled, nfds_t(polled.count), timeout)
            if count > 0, polled[0].revents != 0 {
                var drain = [UInt8](repeating: 0, count: 256)
                while read(wakeRead, &drain, drain.count) > 0 {}
            }
            var resumptions: [(CheckedContinuation<Bool, Never>, Bool)] = []
            waiters.withLock { waiters in
                for entry in polled.dropFirst() where entry.revents != 0 {
                    if let waiter = waiters.removeValue(forKey: entry.fd) { resumptions.append((waiter.continuation, true)) }
                }
                let now = ContinuousClock.now
                for (descriptor, waiter) in waiters where waiter.deadline <= now {
                    waiters[descriptor] = nil
                    resumptions.append((waiter.continuation, false))
                }
            }
            for (continuation, ready) in resumptions { continuation.resume(returning: ready) }
        }
    }
}
