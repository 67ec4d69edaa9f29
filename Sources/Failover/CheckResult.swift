import SansIO

/// The outcome of one probe run.
public struct CheckResult: Sendable, Hashable {
    /// Whether the probe succeeded.
    public var success: Bool
    /// Round-trip time when measured.
    public var rtt: Duration?
    /// Why the probe failed, when it failed.
    public var error: String?
    /// When the probe completed.
    public var time: Instant

    public init(success: Bool, rtt: Duration? = nil, error: String? = nil, time: Instant) {
        self.success = success
        self.rtt = rtt
        self.error = error
        self.time = time
    }
}
