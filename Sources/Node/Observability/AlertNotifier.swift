import Synchronization

/// Alerts for an operator's chat (a Slack-compatible webhook takes `{"text": …}`): DNS changes,
/// all-down fail-open, leader changes, refused API credentials.
///
/// Posting never waits: alerts go into a bounded queue (the oldest are dropped and counted when it
/// is full) drained by one background task that delivers each with a deadline and retries with
/// exponential backoff. A dead or slow webhook therefore never delays checks, votes or DNS.
public final class AlertNotifier: Sendable {
    /// One delivery attempt: send `body` (the JSON payload) and say whether it was accepted,
    /// giving up by `deadline`.
    public typealias Deliver = @Sendable (_ body: [UInt8], _ deadline: Duration) async -> Bool

    public struct Settings: Sendable {
        public var capacity: Int
        public var deadline: Duration
        public var attempts: Int
        public var backoffBase: Duration

        public init(capacity: Int = 64, deadline: Duration = .seconds(5), attempts: Int = 4,
                    backoffBase: Duration = .seconds(1)) {
            self.capacity = capacity
            self.deadline = deadline
            self.attempts = attempts
            self.backoffBase = backoffBase
        }
    }

    private struct Counts: Sendable {
        var delivered = 0
        var failed = 0
        var dropped = 0
    }

    /// Shared by the poster and the worker task.
    private final class Tallies: Sendable {
        let counts = Mutex(Counts())
    }

    private let continuation: AsyncStream<String>.Continuation
    private let worker: Task<Void, Never>
    private let tally = Tallies()

    public init(settings: Settings = Settings(), deliver: @escaping Deliver) {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self,
                                                            bufferingPolicy: .bufferingNewest(settings.capacity))
        self.continuation = continuation
        let tally = tally
        worker = Task {
            for await text in stream {
                let body = Array("{\"text\":\(LogLine.jsonString(text))}".utf8)
                var accepted = false
                for attempt in 0..<max(settings.attempts, 1) where !Task.isCancelled {
                    if attempt > 0 { try? await Task.sleep(for: settings.backoffBase * (1 << min(attempt - 1, 10))) }
                    if await deliver(body, settings.deadline) {
                        accepted = true
                        break
                    }
                }
                tally.counts.withLock { accepted ? ($0.delivered += 1) : ($0.failed += 1) }
            }
        }
    }

    deinit {
        continuation.finish()
        worker.cancel()
    }

    /// Queues an alert and returns at once.
    public func post(_ text: String) {
        if case .dropped = continuation.yield(text) { tally.counts.withLock { $0.dropped += 1 } }
    }

    /// Alerts delivered, given up on after every attempt, and dropped because the queue was full.
    public var tallies: (delivered: Int, failed: Int, dropped: Int) {
        tally.counts.withLock { ($0.delivered, $0.failed, $0.dropped) }
    }
}
