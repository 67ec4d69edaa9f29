import SansIO

/// Write fencing (DESIGN.md "Write fencing"). DNS APIs have no conditional writes, so the lease
/// must cover a request's whole flight: a write starts only when its permit's remaining lease is
/// at least the request's deadline plus a margin, and the shell abandons the request at that
/// deadline. Every write that can still land then lands inside its writer's lease, and leases of
/// different leaders never overlap (Raft thesis §6.4.1; the bound is on `ElectionSettings`), so no
/// two leaders' writes are ever in flight together.
public struct WriteFence: Sendable, Hashable {
    /// How long one provider call may take before the shell abandons it.
    public var requestDeadline: Duration
    /// Extra lease the call must leave unused, for the shell's own scheduling delay.
    public var margin: Duration
    /// Off only to show the simulator catches a write that outlives its lease.
    public var isEnabled: Bool

    public init(requestDeadline: Duration = .milliseconds(750), margin: Duration = .milliseconds(100),
                isEnabled: Bool = true) {
        self.requestDeadline = requestDeadline
        self.margin = margin
        self.isEnabled = isEnabled
    }

    /// Whether a write with `permit` may start at `now`. Asked immediately before every call.
    public func admits(_ permit: WritePermit, now: Instant) -> Bool {
        !isEnabled || permit.remaining(at: now) >= requestDeadline + margin
    }
}
