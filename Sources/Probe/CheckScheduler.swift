import IO
import Synchronization

/// Runs every check on its own interval and turns results into the agent's view through each
/// check's `Hysteresis`:
///
/// - first runs are spread evenly over the interval (no thundering herd at start-up);
/// - run `k` is scheduled at `start + offset + k·interval`, so there is no drift, and a slot
///   missed because the process stalled is skipped rather than run late in a burst;
/// - the timeout is clamped below the interval, and at most `maximumConcurrent` checks run at
///   once.
///
/// Every result is reported as a value (`Report`), with the transition it caused, for the node
/// to turn into votes.
public final class CheckScheduler: Sendable {
    /// One scheduled check.
    public struct Entry: Sendable {
        public var check: any HealthCheck
        public var interval: Duration
        public var timeout: Duration
        public var rise: Int
        public var fall: Int

        public init(check: any HealthCheck, interval: Duration, timeout: Duration, rise: Int, fall: Int) {
            self.check = check
            self.interval = interval
            self.timeout = timeout
            self.rise = rise
            self.fall = fall
        }
    }

    /// One run's outcome.
    public struct Report: Sendable {
        /// The check's index in the entries.
        public var index: Int
        public var result: CheckResult
        /// The view change this result caused, if any.
        public var transition: Hysteresis.Transition?
        /// When the run was due and when it started (their difference is scheduling jitter).
        public var scheduled: ContinuousClock.Instant
        public var started: ContinuousClock.Instant
    }

    public let entries: [Entry]
    public let reports: AsyncStream<Report>
    private let continuation: AsyncStream<Report>.Continuation
    private let clock: MonotonicClock
    private let permits: Permits
    private let tasks = Mutex<[Task<Void, Never>]>([])

    public init(entries: [Entry], clock: MonotonicClock, maximumConcurrent: Int = 256) {
        self.entries = entries
        self.clock = clock
        permits = Permits(maximumConcurrent)
        (reports, continuation) = AsyncStream.makeStream(of: Report.self, bufferingPolicy: .bufferingNewest(65_536))
    }

    /// Starts every check; returns at once.
    public func start() {
        let origin = ContinuousClock.now
        let started = entries.indices.map { index in
            Task { await self.loop(index, firstRun: origin + self.offset(of: index)) }
        }
        tasks.withLock { $0 += started }
    }

    /// Stops scheduling; runs in flight finish, then `reports` ends.
    public func stop() {
        for task in tasks.withLock({ $0 }) { task.cancel() }
        continuation.finish()
    }

    /// Check `index`'s first-run offset: entries that share an interval are spaced evenly over it.
    func offset(of index: Int) -> Duration {
        let interval = entries[index].interval
        let peers = entries.indices.filter { entries[$0].interval == interval }
        let position = peers.firstIndex(of: index) ?? 0
        return interval * (Double(position) / Double(peers.count))
    }

    private func loop(_ index: Int, firstRun: ContinuousClock.Instant) async {
        let entry = entries[index]
        let timeout = min(entry.timeout, entry.interval * 0.9)
        var hysteresis = Hysteresis(rise: entry.rise, fall: entry.fall)
        var due = firstRun
        while !Task.isCancelled {
            try? await Task.sleep(until: due, clock: .continuous)
            guard !Task.isCancelled else { return }
            await permits.acquire()
            let started = ContinuousClock.now
            let result = await entry.check.run(deadline: started + timeout, clock: clock)
            await permits.release()
            let transition = hysteresis.record(result, at: result.time)
            continuation.yield(Report(index: index, result: result, transition: transition, scheduled: due, started: started))
            // The next slot on the grid; slots already past are skipped, not run in a burst.
            due = due + entry.interval
            let now = ContinuousClock.now
            if due < now {
                let missed = Int(((now - due) / entry.interval).rounded(.down)) + 1
                due = due + entry.interval * missed
            }
        }
    }
}

/// A counting semaphore for async tasks (first come, first served).
actor Permits {
    private var available: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { available = max(1, count) }

    func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { available += 1 } else { waiting.removeFirst().resume() }
    }
}
