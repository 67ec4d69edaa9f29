import Glibc
import IO
import Synchronization

/// One directed link of the relay as written on the command line, `LISTEN=TARGET@DELAY_MS`:
/// every datagram that arrives at `listen` leaves for `target` `delay` later.
struct LinkSpec: Sendable, CustomStringConvertible {
    let listen: SocketAddress
    let target: SocketAddress
    let delayMilliseconds: Int64

    /// Parses `10.77.0.2:9001=10.77.0.12:7946@45`; nil for anything else.
    init?(_ text: String) {
        guard let equals = text.firstIndex(of: "="), let at = text.lastIndex(of: "@"), equals < at,
              let listen = SocketAddress(String(text[..<equals])),
              let target = SocketAddress(String(text[text.index(after: equals)..<at])),
              let milliseconds = Int64(text[text.index(after: at)...]), milliseconds >= 0 else { return nil }
        self.listen = listen
        self.target = target
        delayMilliseconds = milliseconds
    }

    var delay: Duration { .milliseconds(delayMilliseconds) }

    var description: String { "\(listen) -> \(target) @\(delayMilliseconds) ms" }
}

/// What one link did: datagrams forwarded, sends the kernel refused, and how late each datagram
/// left against its due time (its arrival plus the link's delay), in nanoseconds — every one
/// kept (8 bytes a datagram) so the report's percentiles are exact.
struct LinkTally: Sendable {
    var forwarded = 0
    var failedSends = 0
    var overshoots: [Int64] = []
}

/// One directed link at run time: a thread that receives on the listening socket, queues each
/// datagram with its due time, and sends it from a second socket (so nothing the target sends
/// back to the source address is ever relayed in a loop) once that time has come.
///
/// The delay is the same for every datagram of a link, so arrival order is due order and a FIFO
/// keeps each link's datagrams in order. The thread sleeps in `poll` until the earlier of the
/// next arrival and the head's due time (rounded up to the millisecond `poll` counts in), so a
/// datagram never leaves early; the overshoot measures how late it left.
final class DelayLink: Sendable {
    /// The link as given on the command line.
    let spec: LinkSpec
    private let inbound: UDPSocket
    private let outbound: UDPSocket
    private let tally = Mutex(LinkTally())

    /// Room for the largest UDP payload, so no datagram is relayed truncated.
    static let maximumDatagram = 65_535

    init(_ spec: LinkSpec) throws(SystemCallError) {
        self.spec = spec
        inbound = try UDPSocket(binding: spec.listen)
        outbound = try UDPSocket(binding: SocketAddress(ip: spec.listen.ip, port: 0))
    }

    /// A copy of what the link has done so far.
    var snapshot: LinkTally { tally.withLock { $0 } }

    /// Runs the link on a thread of its own, for the life of the process.
    func start() {
        let box = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { context in
            Unmanaged<DelayLink>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, box)
        precondition(created == 0, "pthread_create failed: \(String(cString: strerror(created)))")
        pthread_detach(thread)
    }

    private func run() {
        var queue: [(due: ContinuousClock.Instant, bytes: [UInt8])] = []
        while true {
            var now = ContinuousClock.now
            while let head = queue.first, head.due <= now {
                queue.removeFirst()
                let sent = (try? outbound.send(head.bytes, to: spec.target)) != nil
                let late = now - head.due
                tally.withLock { tally in
                    if sent { tally.forwarded += 1 } else { tally.failedSends += 1 }
                    tally.overshoots.append(Self.nanoseconds(late))
                }
                now = ContinuousClock.now
            }
            let wait = queue.first.map { Self.millisecondsRoundedUp($0.due - now) } ?? 1_000
            let datagram: (bytes: [UInt8], from: SocketAddress)?
            do {
                datagram = try inbound.receive(maximumLength: Self.maximumDatagram, timeoutMilliseconds: wait)
            } catch {
                // A receive error (none is expected on a bound UDP socket) loses nothing queued.
                continue
            }
            if let datagram { queue.append((ContinuousClock.now + spec.delay, datagram.bytes)) }
        }
    }

    /// `duration` in whole milliseconds, rounded up, so a sleep of that long never ends early.
    static func millisecondsRoundedUp(_ duration: Duration) -> Int32 {
        Int32(clamping: max(0, (nanoseconds(duration) + 999_999) / 1_000_000))
    }

    /// `duration` in whole nanoseconds.
    static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }
}
