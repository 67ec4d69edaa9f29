import CloudflareFake
import Cloudflare
import Failover
import Foundation
import Glibc
import HTTP
import IO
import Probe
import SansIO
import Synchronization

/// The HTTP figures of issue 14: a reconcile of 100 names × 10 addresses against the Cloudflare
/// fake (wall time and API calls, with and without batch), 1,000 HTTP checks at 1 s for
/// `VANTAGE_BENCH_SECONDS` (default 60) against an in-process loopback server (CPU, RSS).
/// `vantage-bench http-idle` run alone measures the resident memory of a process idle with the
/// HTTP layer loaded.
var httpSuite: BenchmarkSuite {
    BenchmarkSuite(name: "http", run: runHTTPBenchmarks)
}

/// Resident memory of a process that has initialised the HTTP client and sent one request.
var httpIdleSuite: BenchmarkSuite {
    BenchmarkSuite(name: "http-idle", run: runIdleBenchmark)
}

private func runHTTPBenchmarks() async throws -> [Figure] {
    var limit = rlimit(rlim_cur: 65_536, rlim_max: 65_536)
    _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    let seconds = Double(ProcessInfo.processInfo.environment["VANTAGE_BENCH_SECONDS"] ?? "") ?? 60
    var figures: [Figure] = []
    for batch in [true, false] { figures += try await reconcileFigures(batch: batch) }
    figures += try await checkFigures(checks: 1_000, seconds: seconds)
    return figures
}

private func reconcileFigures(batch: Bool) async throws -> [Figure] {
    let fake = try CloudflareFake()
    let baseURL = try await fake.listen(on: SocketAddress("127.0.0.1:0")!)
    defer { Task { await fake.stop() } }
    let names = (0..<100).map { "host\($0).example.com" }
    for (index, name) in names.enumerated() {
        for octet in 0..<5 { await fake.insert(zone: "example.com", name: name, type: "A", content: "10.\(index).0.\(octet)") }
    }
    let client = CloudflareClient(settings: CloudflareSettings(baseURL: baseURL, zoneName: "example.com", credentials: .token("test-token"),
                                                               useBatch: batch, rateLimit: TokenBucket(capacity: 100_000, refillPerSecond: 100_000)),
                                  jitter: SeededGenerator(seed: 1))
    let start = ContinuousClock.now
    for (index, name) in names.enumerated() {
        guard case .listed(let current) = await client.perform(.list(name: name), deadline: .seconds(30)) else { throw BenchFailure.reconcile(name) }
        let desired = Set((2..<12).map { "10.\(index).0.\($0)" })
        let creates = desired.subtracting(current.map(\.content)).sorted().map {
            RecordSpec(name: name, type: .a, content: $0, proxied: false, ttl: 1, comment: "vantage bench")
        }
        let deletes = current.filter { !desired.contains($0.content) }
        guard case .batched = await client.perform(.batch(creates: creates, deletes: deletes), deadline: .seconds(30)) else { throw BenchFailure.reconcile(name) }
    }
    let wall = (ContinuousClock.now - start) / .seconds(1)
    let label = "reconcile 100 names × 10 addresses (7 creates, 2 deletes each), \(batch ? "batch" : "single calls")"
    return [
        Figure(name: "\(label): wall time", value: wall * 1_000, unit: "ms", note: "in-process fake on loopback, unvalidated"),
        Figure(name: "\(label): API calls", value: Double(await client.requestsSent), unit: "calls",
               note: "\(await fake.records(in: "example.com").count) records after"),
    ]
}

enum BenchFailure: Error { case reconcile(String), missing(String) }

private func checkFigures(checks: Int, seconds: Double) async throws -> [Figure] {
    let servers = try (0..<20).map { _ in
        try HTTPServer(binding: SocketAddress("127.0.0.1:0")!) { _ in .respond(HTTPServerResponse(status: 200, text: "ok\n")) }
    }
    defer { for server in servers { server.stop() } }
    let entries = try (0..<checks).map { index in
        CheckScheduler.Entry(check: try HTTPCheck(address: "127.0.0.1", port: Int(servers[index % servers.count].address.port), path: "/healthz",
                                                  host: "www.example.com", bodyContains: "ok"),
                             interval: .seconds(1), timeout: .milliseconds(800))
    }
    let collected = Mutex<[CheckScheduler.Report]>([])
    let scheduler = CheckScheduler(entries: entries, clock: MonotonicClock(), maximumConcurrent: 2_048) { report in
        collected.withLock { $0.append(report) }
    }
    let cpuBefore = processSeconds(), start = ContinuousClock.now
    scheduler.start()
    try? await Task.sleep(for: .seconds(seconds))
    scheduler.stop()
    let wall = (ContinuousClock.now - start) / .seconds(1)
    let cpu = processSeconds() - cpuBefore
    let reports = collected.withLock { $0 }
    let label = "http, \(checks) checks at 1 s against 20 loopback servers, \(Int(seconds)) s"
    return [
        Figure(name: "\(label): CPU, share of one core (servers included)", value: cpu / wall * 100, unit: "%",
               note: "the in-process HTTP servers' parsing and answering is counted too"),
        Figure(name: "\(label): peak RSS (process)", value: residentMiB("VmHWM"), unit: "MiB"),
        Figure(name: "\(label): runs / failed / down transitions", value: Double(reports.count), unit: "runs",
               note: "\(reports.filter { !$0.result.success }.count) failed, \(downTransitions(reports)) down transitions"),
    ]
}

private func runIdleBenchmark() async throws -> [Figure] {
    let server = try HTTPServer(binding: SocketAddress("127.0.0.1:0")!) { _ in .respond(HTTPServerResponse(status: 200, text: "ok\n")) }
    defer { server.stop() }
    _ = await HTTPClient.shared.send(HTTPRequest(url: "http://\(server.address)/", timeout: .seconds(5)))
    try await Task.sleep(for: .seconds(2))
    return [Figure(name: "idle process, HTTP client initialised and one request sent: RSS", value: residentMiB("VmRSS"), unit: "MiB",
                   note: "run alone; peak \(String(format: "%.1f", residentMiB("VmHWM"))) MiB")]
}

/// User plus system CPU seconds of the process so far.
private func processSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

