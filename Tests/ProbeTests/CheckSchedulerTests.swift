import Failover
import IO
@testable import Probe
import SansIO
import Synchronization
import Testing

/// A check whose outcome the test scripts, and which records how many runs overlap.
private final class ScriptedCheck: HealthCheck {
    let label = "scripted"
    let duration: Duration
    let succeed: Mutex<Bool>
    let running = Mutex<(now: Int, peak: Int)>((0, 0))

    init(duration: Duration = .zero, succeed: Bool = true) {
        self.duration = duration
        self.succeed = Mutex(succeed)
    }

    func run(deadline: ContinuousClock.Instant, clock: MonotonicClock) async -> CheckResult {
        running.withLock { $0.now += 1; $0.peak = max($0.peak, $0.now) }
        if duration > .zero { try? await Task.sleep(for: duration) }
        running.withLock { $0.now -= 1 }
        return CheckResult(success: succeed.withLock { $0 }, time: clock.now())
    }
}

@Suite struct CheckSchedulerTests {
    let clock = MonotonicClock()

    /// Every run's report for `duration` of `entries`.
    private func collect(_ entries: [CheckScheduler.Entry], maximumConcurrent: Int = 256, for duration: Duration) async -> [CheckScheduler.Report] {
        let reports = Mutex<[CheckScheduler.Report]>([])
        let scheduler = CheckScheduler(entries: entries, clock: clock, maximumConcurrent: maximumConcurrent) { report in
            reports.withLock { $0.append(report) }
        }
        scheduler.start()
        try? await Task.sleep(for: duration)
        scheduler.stop()
        return reports.withLock { $0 }
    }

    @Test func firstRunsAreSpreadEvenlyOverTheInterval() {
        let entries = (0..<4).map { _ in CheckScheduler.Entry(check: ScriptedCheck(), interval: .seconds(1), timeout: .milliseconds(800), rise: 2, fall: 3) }
        let scheduler = CheckScheduler(entries: entries, clock: clock)
        #expect(entries.indices.map(scheduler.offset(of:)) == [.zero, .milliseconds(250), .milliseconds(500), .milliseconds(750)])
    }

    @Test func runsStayOnTheirGridWithoutDrift() async {
        let check = ScriptedCheck(duration: .milliseconds(30))
        let reports = await collect([CheckScheduler.Entry(check: check, interval: .milliseconds(100), timeout: .milliseconds(80), rise: 2, fall: 3)],
                                    for: .milliseconds(1_050))
        // 30 ms of work per run does not push later runs back: about 11 runs in 1.05 s, each due
        // exactly one interval after the previous one.
        #expect((9...12).contains(reports.count), "\(reports.count) runs")
        for (previous, next) in zip(reports, reports.dropFirst()) {
            #expect(next.scheduled - previous.scheduled == .milliseconds(100))
        }
    }

    @Test func resultsFeedTheHysteresisAndReportTransitions() async {
        let check = ScriptedCheck()
        let runs = Mutex(0)
        let scheduler = CheckScheduler(entries: [CheckScheduler.Entry(check: check, interval: .milliseconds(40), timeout: .milliseconds(30), rise: 2, fall: 3)],
                                       clock: clock) { _ in
            // Runs 1–4 succeed, later ones fail.
            if runs.withLock({ $0 += 1; return $0 }) == 4 { check.succeed.withLock { $0 = false } }
        }
        scheduler.start()
        var transitions: [(Hysteresis.State, Int)] = []
        for await report in scheduler.transitions {
            transitions.append((report.transition!.to, runs.withLock { $0 }))
            if transitions.count == 2 { scheduler.stop() }
        }
        // Up on run 2; down on exactly the third failure (run 7); only transitions are streamed.
        #expect(transitions.map(\.0) == [.up, .down])
        #expect(transitions.map(\.1) == [2, 7])
        #expect(scheduler.currentViews == [.down])
    }

    @Test func concurrencyIsBounded() async {
        let check = ScriptedCheck(duration: .milliseconds(100))
        let entries = (0..<8).map { _ in CheckScheduler.Entry(check: check, interval: .milliseconds(200), timeout: .milliseconds(150), rise: 1, fall: 1) }
        _ = await collect(entries, maximumConcurrent: 2, for: .milliseconds(500))
        #expect(check.running.withLock { $0.peak } <= 2)
        #expect(check.running.withLock { $0.peak } == 2)
    }
}
