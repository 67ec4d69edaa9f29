import SansIO

/// One provider call the leader asks its shell to make.
public struct DNSCall: Sendable, Hashable {
    /// Echoed back with the response (``FailoverInstance/onDNSResponse(_:to:now:leadership:rng:)``).
    public var id: UInt64
    public var request: DNSRequest
    /// The permit a write was admitted under (nil for a list); its term and node are in the audit comment.
    public var permit: WritePermit?
    /// The shell abandons the call this long after starting it.
    public var deadline: Duration
}

/// What a ``FailoverInstance`` asks its shell to do, in order.
public enum FailoverDirective: Sendable, Hashable {
    /// Encode (``VoteMessage/encoded()``) and send as a `vote` envelope to the named voter.
    case send(VoteMessage, to: String)
    /// Make the call now, abandon it at its deadline, and report the response.
    case dns(DNSCall)
    /// Call ``FailoverInstance/onWakeUp(now:leadership:rng:)`` at this instant; replaces earlier ones.
    case wakeUp(at: Instant)
    case event(FailoverEvent)
}

/// Observable changes of a ``FailoverInstance``, for logs, alerts, metrics and the simulator's invariants.
public enum FailoverEvent: Sendable, Hashable {
    /// This agent's own view of an address changed.
    case viewChanged(EndpointView)
    /// The tally's verdict for an address changed (with the voters behind it).
    case decisionChanged(address: String, TallyDecision)
    /// Dry run: the leader would have made this write now (and nothing was written).
    case wouldWrite(DNSRequest, term: UInt64)
    /// A call finished (successfully or not).
    case callFinished(DNSCall, DNSResponse)
    /// A planned write waits: the lease left is shorter than the call's deadline plus the margin.
    case writeFenced(remainingLease: Duration)
    /// Every managed address of `name` looks down: its records are kept (fail open). Raised once
    /// per episode; ``allDownCleared(name:)`` ends it.
    case allDown(name: String, kept: [String])
    case allDownCleared(name: String)
    /// The provider refused the credentials: writing stops (monitoring goes on) until a later
    /// call succeeds.
    case writesSuspended(reason: String)
    case writesResumed
}
