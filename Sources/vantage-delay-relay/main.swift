import Glibc
import IO

/// `vantage-delay-relay --pair LISTEN:PORT=TARGET:PORT@DELAY_MS...`: a UDP relay that holds each
/// datagram for its link's one-way delay, for WAN latency where the kernel has no `netem` (the
/// network-namespace tests put it between the regions' agents). It prints one line once every
/// socket is bound, and on SIGTERM or SIGINT one line per link and a total — datagrams forwarded,
/// failed sends, and how late datagrams left against their due time — then exits 0.
let usage = "usage: vantage-delay-relay --pair LISTEN_ADDRESS:PORT=TARGET_ADDRESS:PORT@DELAY_MS [--pair ...]"

/// Writes one line to `descriptor` unbuffered, so a process following the output sees it at once.
func emit(_ line: String, to descriptor: Int32 = STDOUT_FILENO) {
    try? SystemCall.writeAll(descriptor, Array((line + "\n").utf8), path: descriptor == STDOUT_FILENO ? "stdout" : "stderr")
}

func fail(_ message: String) -> Never {
    emit("vantage-delay-relay: \(message)\n\(usage)", to: STDERR_FILENO)
    exit(2)
}

/// `nanoseconds` in milliseconds with two decimals.
func milliseconds(_ nanoseconds: Int64) -> String {
    let hundredths = (nanoseconds + 5_000) / 10_000
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}

/// One report line: counts, and the overshoot's nearest-rank p50, p99 and maximum.
func summary(_ tally: LinkTally) -> String {
    let sorted = tally.overshoots.sorted()
    func rank(_ quantile: Double) -> Int64 {
        sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((quantile * Double(sorted.count)).rounded(.up)) - 1)]
    }
    return "\(tally.forwarded) datagrams, \(tally.failedSends) failed sends, overshoot p50 \(milliseconds(rank(0.5))) ms, "
        + "p99 \(milliseconds(rank(0.99))) ms, max \(milliseconds(sorted.last ?? 0)) ms"
}

var specs: [LinkSpec] = []
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    guard argument == "--pair" else { fail("unknown argument '\(argument)'") }
    guard let value = arguments.popFirst() else { fail("--pair needs a value") }
    guard let spec = LinkSpec(value) else { fail("'\(value)' is not LISTEN_ADDRESS:PORT=TARGET_ADDRESS:PORT@DELAY_MS") }
    specs.append(spec)
}
if specs.isEmpty { fail("give at least one --pair") }

// Blocked before any link thread exists, so every thread inherits the mask and only `sigwait`
// below takes the signals.
var stopSignals = sigset_t()
sigemptyset(&stopSignals)
sigaddset(&stopSignals, SIGTERM)
sigaddset(&stopSignals, SIGINT)
pthread_sigmask(SIG_BLOCK, &stopSignals, nil)

let links: [DelayLink]
do {
    links = try specs.map { spec throws(SystemCallError) in try DelayLink(spec) }
} catch {
    fail("\(error)")
}
for link in links { link.start() }
emit("relay: forwarding \(links.count) links")

var received: Int32 = 0
sigwait(&stopSignals, &received)
var total = LinkTally()
for link in links {
    let tally = link.snapshot
    emit("relay: \(link.spec): \(summary(tally))")
    total.forwarded += tally.forwarded
    total.failedSends += tally.failedSends
    total.overshoots += tally.overshoots
}
emit("relay: total: \(summary(total))")
exit(0)
