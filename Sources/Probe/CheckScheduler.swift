import Failover
import IO
import Synchronization

/// Runs every check on its own interval and reports every run, in order per check, to `onRun`
/// (the agent feeds each result to the failover core, whose `LocalViews` apply rise/fall):
///
/// - first runs are spread evenly over the interval (no thundering herd at start-up);
/// - run `k` is scheduled at `start + offset + k·interval`, so there is no drift, and a slot
///   missed because the process stalled is skipped rather than run late in a burst;
/// - the timeout is clamped below the interval, and at most `maximumConcurrent` checks run at
///   once.
public final class CheckScheduler: Sendable {
    /// One scheduled check.
    public struct Entry: Sendable {
        public var check: any HealthCheck
        public var interval: Duration
        public var timeout: Duration

        public init(check: any HealthCheck, interval: Duration, timeout: Duration) {
            self.check = check
            self.interval = interval
            self.timeout = timeout
        }
    }

    /// One run's outcome.
    public struct Report: Sendable {
        /// The check's index in the entries.
        public var index: Int
        public var result: CheckResult
        /// When the run was due and when it started (their difference is scheduling jitter).
        public var scheduled: ContinuousClock.Instant
        public var started: ContinuousClock.Instant
    }

    public let entries: [Entry]
    /// Called with every run as it finishes; a check never runs twice at once (timeout <
    /// interval), so one check's reports arrive in order. Keep it cheap.
    private let onRun: @Sendable (Report) -> Void
    private let clock: MonotonicClock
    private let permits: Permits
    private let driver = Mutex<Task<Void, Never>?>(nil)

    public init(entries: [Entry], clock: MonotonicClock, maximumConcurrent: Int = 256,
                onRun: @escaping @Sendable (Report) -> Void) {
        self.onRun = onRun
        self.entries = entries
        self.clock = clock
        permits = Permits(maximumConcurrent)
    }

    /// Starts every check; returns at once.
    public func start() {
        let origin = ContinuousClock.now
        let task = Task { await self.drive(origin: origin) }
        driver.withLock { $0 = task }
    }

    /// Stops scheduling; runs in flight finish and are still reported.
    public func stop() {
        driver.withLock { $0 }?.cancel()
    }

    /// First runs are placed on slots of this width, so a thousand checks wake the process about
    /// a hundred times a second rather than a thousand.
    static let slot = Duration.milliseconds(10)

    /// Check `index`'s first-run offset: entries that share an interval are spaced evenly over
    /// it, on `slot` boundaries.
    func offset(of index: Int) -> Duration {
        let interval = entries[index].interval
        let peers = entries.indices.filter { entries[$0].interval == interval }
        let position = peers.firstIndex(of: index) ?? 0
        let even = interval * (Double(position) / Double(peers.count))
        return Self.slot * (even / Self.slot).rounded(.down)
    }

    /// One loop for all checks: sleep until the earliest due run, start every run due by then,
    /// put each back on its grid. Run `k` of a check is due at `origin + offset + k·interval`;
    /// slots already past (the process stalled) are skipped, not run in a burst.
    private func drive(origin: ContinuousClock.Instant) async {
        var due = entries.indices.map { origin + offset(of: $0) }
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                guard let next = due.min() else { return }
                try? await Task.sleep(until: next, clock: .continuous)
                guard !Task.isCancelled else { break }
                let now = ContinuousClock.now
                for index in due.indices where due[index] <= now {
                    let scheduled = due[index], entry = entries[index]
                    group.addTask { await self.run(index, entry, scheduled: scheduled) }
                    due[index] = scheduled + entry.interval
                    if due[index] <= now {
                        let missed = Int(((now - due[index]) / entry.interval).rounded(.down)) + 1
                        due[index] = due[index] + entry.interval * missed
                    }
                }
            }
            group.cancelAll()
        }
    }

    private func run(_ index: Int, _ entry: Entry, scheduled: ContinuousClock.Instant) async {
        await permits.acquire()
        let started = ContinuousClock.now
        let timeout = min(entry.timeout, entry.interval * 0.9)
        let result = await entry.check.run(deadline: started + timeout, clock: clock)
        permits.release()
        onRun(Report(index: index, result: result, scheduled: scheduled, started: started))
    }
}

/// A counting semaphore for async tasks (first come, first served); taking a free permit does
/// not suspend.
final class Permits: Sendable {
    private let state: Mutex<(available: Int, waiting: [CheckedContinuation<Void, Never>])>

    init(_ count: Int) { state = Mutex((max(1, count), [])) }

    func acquire() async {
        let granted = state.withLock { state -> Bool in
            guard state.available > 0 else { return false }
            state.available -= 1
            return true
        }
        if granted { return }
        await withCheckedContinuation { continuation in
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                // A permit may have come back between the two locks.
                guard state.available > 0 else {
                    state.waiting.append(continuation)
                    return nil
                }
                state.available -= 1
                return continuation
            }
            waiter?.resume()
        }
    }

    func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiting.isEmpty else {
                state.available += 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
