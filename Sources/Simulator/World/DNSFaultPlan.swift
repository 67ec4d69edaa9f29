import SansIO

/// How the simulated DNS provider misbehaves over time: windows of true time in which each call
/// fails in one way with a given probability.
public struct DNSFaultPlan: Sendable {
    public enum Kind: Sendable, Hashable {
        /// 429 with `Retry-After`; nothing applied.
        case rateLimited(retryAfter: Duration)
        /// 5xx; nothing applied.
        case serverError
        /// No answer before the client's deadline; the write may or may not have been applied.
        case timeout
        /// Applied, but the answer never arrives (the client sees a timeout).
        case lostAnswer
        /// Applied after the client abandoned it (queued past the deadline): outside what a lease
        /// can fence, so flagged as a late write rather than a protocol violation.
        case lateWrite
    }

    public struct Window: Sendable, Hashable {
        public var start: Instant
        public var end: Instant
        public var kind: Kind
        /// Chance that a call in the window fails this way.
        public var probability: Double

        public init(start: Instant, end: Instant, kind: Kind, probability: Double) {
            self.start = start
            self.end = end
            self.kind = kind
            self.probability = probability
        }
    }

    public var windows: [Window]

    public init(windows: [Window] = []) { self.windows = windows }

    /// The fault (if any) that hits a call started at `time`, drawn from `random`.
    func fault(at time: Instant, random: inout SeededGenerator) -> Kind? {
        for window in windows where time >= window.start && time < window.end {
            if random.nextUnit() < window.probability { return window.kind }
        }
        return nil
    }
}
