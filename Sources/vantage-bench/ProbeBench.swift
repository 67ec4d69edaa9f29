import Failover
import Foundation
import Glibc
import IO
import Probe
import Synchronization

/// The probe figures of issue 5: 1,000 TCP checks at 1 s against loopback listeners, and ICMP at
/// 1 s against 200 and 1,000 loopback addresses, each for `VANTAGE_BENCH_SECONDS` (default 60):
/// CPU as a share of one core, peak RSS, scheduling jitter, and false down transitions.
/// `VANTAGE_BENCH_PROBE=tcp` or `=icmp` runs one half.
var probeSuite: BenchmarkSuite {
    BenchmarkSuite(name: "probe", run: runProbeBenchmarks)
}

private func runProbeBenchmarks() async throws -> [Figure] {
    var limit = rlimit(rlim_cur: 65_536, rlim_max: 65_536)
    _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    let seconds = Double(ProcessInfo.processInfo.environment["VANTAGE_BENCH_SECONDS"] ?? "") ?? 60
    let only = ProcessInfo.processInfo.environment["VANTAGE_BENCH_PROBE"]  // "tcp" or "icmp"
    var figures: [Figure] = []
    if only != "icmp" { figures += try await tcpFigures(checks: 1_000, seconds: seconds) }
    if only != "tcp" {
        for count in [200, 1_000] { figures += await icmpFigures(addresses: count, seconds: seconds) }
    }
    return figures
}

/// Process CPU time so far: user, and system (kernel, including the loopback network stack).
private func processCPUSplit() -> (user: Double, system: Double) {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return (Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6,
            Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6)
}

private func processCPU() -> Double {
    let split = processCPUSplit()
    return split.user + split.system
}


private func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

/// Down transitions the agent's rise/fall (2/3) makes of `reports`: each check's runs in the
/// order they started, through its own `Hysteresis`, as `LocalViews` does in the agent.
func downTransitions(_ reports: [CheckScheduler.Report]) -> Int {
    var views: [Int: Hysteresis] = [:]
    var downs = 0
    for report in reports.sorted(by: { $0.started < $1.started }) {
        var view = views[report.index] ?? Hysteresis(rise: 2, fall: 3)
        if view.record(report.result, at: report.result.time)?.to == .down { downs += 1 }
        views[report.index] = view
    }
    return downs
}

/// Runs `entries` for `seconds`; the reports and the CPU seconds the checking side used.
private func schedule(_ entries: [CheckScheduler.Entry], seconds: Double, excludingCPU: () -> Double = { 0 })
    async -> (reports: [CheckScheduler.Report], cpu: Double, userCPU: Double, wall: Double) {
    let collected = Mutex<[CheckScheduler.Report]>([])
    collected.withLock { $0.reserveCapacity(entries.count * Int(seconds + 1)) }
    let scheduler = CheckScheduler(entries: entries, clock: MonotonicClock(), maximumConcurrent: 2_048) { report in
        collected.withLock { $0.append(report) }
    }
    let cpuBefore = processCPU(), userBefore = processCPUSplit().user, start = ContinuousClock.now
    scheduler.start()
    try? await Task.sleep(for: .seconds(seconds))
    scheduler.stop()
    let reports = collected.withLock { $0 }
    let wall = (ContinuousClock.now - start) / .seconds(1)
    let excluded = excludingCPU()
    return (reports, processCPU() - cpuBefore - excluded, processCPUSplit().user - userBefore, wall)
}

/// Loopback listeners in a thread of their own that accept and close; its CPU is subtracted.
private final class Listeners: @unchecked Sendable {
    let ports: [UInt16]
    private let descriptors: [Int32]
    private var threadCPU = 0.0
    private let done = DispatchSemaphore(value: 0)
    private let stopping = Atomic<Bool>(false)

    init(count: Int) {
        var descriptors: [Int32] = [], ports: [UInt16] = []
        for _ in 0..<count {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            _ = SocketAddress("127.0.0.1:0")!.withSockaddr { bind(descriptor, $0, $1) }
            listen(descriptor, 4_096)
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            _ = withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
            descriptors.append(descriptor)
            ports.append(SocketAddress(storage: storage)!.port)
        }
        self.descriptors = descriptors
        self.ports = ports
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    private func serve() {
        var polled = descriptors.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        while !stopping.load(ordering: .relaxed) {
            _ = poll(&polled, nfds_t(polled.count), 100)
            for entry in polled where entry.revents != 0 {
                while true {
                    let connection = accept(entry.fd, nil, nil)
                    if connection < 0 { break }
                    close(connection)
                }
            }
        }
        var usage = rusage()
        getrusage(1 /* RUSAGE_THREAD */, &usage)
        threadCPU = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        done.signal()
    }

    /// Stops the thread; the CPU seconds it used.
    func stop() -> Double {
        stopping.store(true, ordering: .relaxed)
        done.wait()
        for descriptor in descriptors { close(descriptor) }
        return threadCPU
    }
}

private func tcpFigures(checks: Int, seconds: Double) async throws -> [Figure] {
    let listeners = Listeners(count: 20)
    let entries = (0..<checks).map { index in
        CheckScheduler.Entry(check: TCPCheck(address: SocketAddress(ip: [127, 0, 0, 1], port: listeners.ports[index % listeners.ports.count])),
                             interval: .seconds(1), timeout: .milliseconds(800))
    }
    var listenerCPU = 0.0
    let run = await schedule(entries, seconds: seconds) {
        listenerCPU = listeners.stop()
        return listenerCPU
    }
    let jitter = run.reports.map { ($0.started - $0.scheduled) / .milliseconds(1) }
    let failures = run.reports.filter { !$0.result.success }.count
    let falseDowns = downTransitions(run.reports)
    let label = "tcp, \(checks) checks at 1 s, \(Int(seconds)) s"
    return [
        Figure(name: "\(label): CPU, share of one core (listeners excluded)", value: run.cpu / run.wall * 100, unit: "%",
               note: "goal ≤ 5 %; user space \(String(format: "%.1f", run.userCPU / run.wall * 100)) % incl. listeners"),
        Figure(name: "\(label): peak RSS (process)", value: residentMiB("VmHWM"), unit: "MiB"),
        Figure(name: "\(label): start jitter p99", value: percentile(jitter, 0.99), unit: "ms"),
        Figure(name: "\(label): runs / failed / false downs", value: Double(run.reports.count), unit: "runs",
               note: "\(failures) failed, \(falseDowns) down transitions"),
    ]
}

private func icmpFigures(addresses: Int, seconds: Double) async -> [Figure] {
    let label = "icmp, \(addresses) loopback addresses at 1 s, \(Int(seconds)) s"
    let checks: [ICMPCheck]
    do {
        checks = try (0..<addresses).map { try ICMPCheck(address: "127.0.\(2 + $0 / 250).\(1 + $0 % 250)") }
    } catch {
        return [Figure(name: "\(label): skipped", value: 0, unit: "", note: "\(error)")]
    }
    let entries = checks.map { CheckScheduler.Entry(check: $0, interval: .seconds(1), timeout: .milliseconds(800)) }
    let run = await schedule(entries, seconds: seconds)
    let failures = run.reports.filter { !$0.result.success }.count
    let falseDowns = downTransitions(run.reports)
    let rtts = run.reports.compactMap { $0.result.rtt.map { $0 / .milliseconds(1) } }
    return [
        Figure(name: "\(label): CPU, share of one core", value: run.cpu / run.wall * 100, unit: "%",
               note: "user space \(String(format: "%.1f", run.userCPU / run.wall * 100)) %"),
        Figure(name: "\(label): peak RSS (process)", value: residentMiB("VmHWM"), unit: "MiB"),
        Figure(name: "\(label): false down transitions", value: Double(falseDowns), unit: "", note: "goal 0; goavail: 109 at 200"),
        Figure(name: "\(label): failed probes of \(run.reports.count)", value: Double(failures), unit: ""),
        Figure(name: "\(label): RTT p99", value: percentile(rtts, 0.99), unit: "ms"),
    ]
}
