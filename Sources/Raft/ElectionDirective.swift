import SansIO

/// What an ``Election`` asks its shell to do; the shell executes directives in order.
public enum ElectionDirective: Equatable, Sendable {
    /// Make `state` durable (write, fsync) and report ``Election/onPersisted(_:now:)`` or
    /// ``Election/onPersistFailed(_:error:now:rng:)``. Every `.send` after it is held until the
    /// write is confirmed (``PersistenceGate``; Raft thesis §3.8, Figure 3.1).
    case persist(PersistentState)
    /// Encode the message (``ElectionMessage/encoded()``) and send it to the named voter.
    case send(ElectionMessage, to: String)
    /// Call ``Election/onWakeUp(now:rng:)`` once the local clock reaches this instant. A later
    /// `wakeUp` replaces every earlier one; a call that returns none leaves the last one in place.
    case wakeUp(at: Instant)
    /// Something worth logging or counting happened.
    case event(ElectionEvent)
}

/// Observable changes of an ``Election``, for logs, metrics and the simulator's invariant checks.
public enum ElectionEvent: Equatable, Sendable {
    /// This node raised its term and voted for itself (thesis §3.4); `isTransfer` when a
    /// `timeoutNow` from the leader triggered it (thesis §3.10).
    case campaignStarted(term: UInt64, isTransfer: Bool)
    /// A majority voted for this node in `term`.
    case becameLeader(term: UInt64)
    /// This node stopped leading in `term`.
    case steppedDown(term: UInt64, reason: StepDownReason)
    /// The leader this node knows changed (to `nil` when it no longer knows one).
    case leaderChanged(leader: String?, term: UInt64)
    /// Writing `attempted` failed: nothing that depended on it was sent, and the node fell back to
    /// its last durable term and vote as a follower.
    case persistFailed(attempted: PersistentState, error: String)
}

/// Why a leader stepped down.
public enum StepDownReason: Equatable, Sendable {
    /// CheckQuorum: no majority acknowledged a heartbeat within the lease (thesis §6.2).
    case lostQuorum
    /// A message carried this higher term (thesis §3.3).
    case higherTerm(UInt64)
    /// Graceful shutdown; `timeoutNow` went to the named follower, if any had acknowledged (thesis §3.10).
    case transferredLeadership(to: String?)
}
