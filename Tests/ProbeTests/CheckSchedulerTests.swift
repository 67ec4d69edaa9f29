import Failover
import IO
@testable import Probe
import SansIO
import Synchronization
import Testing

/// A check whose outcomes the test scripts (run `n` succeeds when `succeeds(n)`), and which
/// records when each run really started, what it returned, and how many runs overlap.
private final class ScriptedCheck: HealthCheck {
    let label = "scripted"
    let duration: Duration
    let succeeds: @Sendable (Int) -> Bool
    let running = Mutex<(now: Int, peak: Int)>((0, 0))
    /// Each run's start as the check saw it, and its result, in run order.
    let log = Mutex<(starts: [ContinuousClock.Instant], results: [CheckResult])>(([], []))

    init(duration: Duration = .zero, succeeds: @escaping @Sendable (Int) -> Bool = { _ in true }) {
        self.duration = duration
        self.succeeds = succeeds
    }

    func run(deadline: ContinuousClock.Instant, clock: MonotonicClock) async -> CheckResult {
        let number = log.withLock { $0.starts.append(.now); return $0.starts.count }
        running.withLock { $0.now += 1; $0.peak = max($0.peak, $0.now) }
        if duration > .zero { try? await Task.sleep(for: duration) }
        running.withLock { $0.now -= 1 }
        let result = CheckResult(success: succeeds(number), time: clock.now())
        log.withLock { $0.results.append(result) }
        return result
    }

    /// The run (1-based) that returned `result`.
    func runNumber(of result: CheckResult) -> Int? { log.withLock { $0.results.firstIndex(of: result).map { $0 + 1 } } }
}

@Suite(.timeLimit(.minutes(1))) struct CheckSchedulerTests {
    let clock = MonotonicClock()

    /// The first `count` runs' reports of `entries` (the scheduler stops once they are in, so
    /// the number of runs cannot race the test's own sleep).
    private func collect(_ entries: [CheckScheduler.Entry], maximumConcurrent: Int = 256, runs count: Int) async -> [CheckScheduler.Report] {
        let reports = Mutex<[CheckScheduler.Report]>([])
        let (done, signal) = AsyncStream.makeStream(of: Void.self)
        let scheduler = CheckScheduler(entries: entries, clock: clock, maximumConcurrent: maximumConcurrent) { report in
            if reports.withLock({ $0.append(report); return $0.count }) == count { signal.finish() }
        }
        scheduler.start()
        for await _ in done {}
        scheduler.stop()
        return Array(reports.withLock { $0 }.prefix(count))
    }

    @Test func firstRunsAreSpreadEvenlyOverTheInterval() {
        let entries = (0..<4).map { _ in CheckScheduler.Entry(check: ScriptedCheck(), interval: .seconds(1), timeout: .milliseconds(800)) }
        let scheduler = CheckScheduler(entries: entries, clock: clock) { _ in }
        #expect(entries.indices.map(scheduler.offset(of:)) == [.zero, .milliseconds(250), .milliseconds(500), .milliseconds(750)])
    }

    /// Runs start on the grid `first due + k·interval` as the check itself observes it: 30 ms of
    /// work per run must not push later runs back. A scheduler that counted the interval from a
    /// run's end would be due 30 ms off the grid on every run; scheduling latency on a busy
    /// machine makes single runs late (or skips a missed slot), but never early and never cumulatively.
    @Test func runsStartOnTheirGridWithoutDrift() async throws {
        let check = ScriptedCheck(duration: .milliseconds(30))
        let interval = Duration.milliseconds(100)
        let reports = await collect([CheckScheduler.Entry(check: check, interval: interval, timeout: .milliseconds(80))],
                                    runs: 10)
        #expect(reports.count == 10)
        let origin = try #require(reports.first?.scheduled)
        // Every run is due on the grid, in order; a slot the process missed under load is skipped,
        // never run late in a burst (so a due time is a whole number of intervals after the first).
        var previous = -1
        for report in reports {
            let slots = (report.scheduled - origin) / interval
            #expect(slots == slots.rounded() && Int(slots) > previous, "due \(report.scheduled - origin) after the first")
            previous = Int(slots)
        }
        let starts = check.log.withLock { $0.starts }.prefix(10)
        let lateness = zip(starts, reports).map { start, report in start - report.scheduled }
        #expect(lateness.allSatisfy { $0 >= .zero }, "\(lateness)")
        // The least late of the last four runs is close to its grid point.
        #expect(try #require(lateness.suffix(4).min()) < .milliseconds(25), "\(lateness)")
    }

    @Test func everyRunIsReportedInOrderWithItsOwnResult() async {
        // Runs 1–4 succeed, later ones fail; rise/fall is the failover core's (LocalViews), not the scheduler's.
        let check = ScriptedCheck(succeeds: { $0 <= 4 })
        let reports = await collect([CheckScheduler.Entry(check: check, interval: .milliseconds(40), timeout: .milliseconds(30))], runs: 7)
        #expect(reports.map(\.result.success) == [true, true, true, true, false, false, false])
        // The run is identified by its own result, not by a counter that keeps moving.
        #expect(reports.map { check.runNumber(of: $0.result) } == (1...7).map { $0 })
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.started < $1.started })
    }

    @Test func concurrencyIsBounded() async {
        let check = ScriptedCheck(duration: .milliseconds(100))
        let entries = (0..<8).map { _ in CheckScheduler.Entry(check: check, interval: .milliseconds(200), timeout: .milliseconds(150)) }
        _ = await collect(entries, maximumConcurrent: 2, runs: 8)
        #expect(check.running.withLock { $0.peak } <= 2)
        #expect(check.running.withLock { $0.peak } == 2)
    }
}
