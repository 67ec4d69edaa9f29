import SansIO

/// The shells' rule for ``ElectionDirective/persist(_:)``: a `.send` that comes after a write not
/// yet confirmed is held until that write is durable; wake-ups and events pass at once.
///
/// Raft thesis §3.8 and Figure 3.1 require `currentTerm` and `votedFor` to be on stable storage
/// "before responding to RPCs"; etcd-raft states the same contract as its `Ready`: persist the
/// hard state, then send the messages. Doing the write inside the core would block whatever input
/// caused it, and the runtime's election shares its thread with SWIM, so a slow fsync would stall
/// probes and acks and make the node look dead. With this gate the write runs beside the core
/// (on its own queue in the runtime, as a timed disk event in the simulator) and only the replies
/// that depend on it wait.
///
/// A sans-IO value both shells use, so the rule exists once: feed it every directive batch the
/// election returns (``admit(_:)``) and carry out what comes back in order. A `.persist` that comes
/// back means "start this write now"; at most one write is in flight, later ones wait their turn
/// (so writes reach the disk in the order the election asked for them, and none starts after one
/// failed). Report the outcome with ``persisted(_:)`` or ``failed(_:)``: success releases the held
/// sends up to the next write; failure drops everything held, because those sends announced a
/// term or vote the disk does not have (the election then falls back to its durable state).
public struct PersistenceGate: Sendable {
    /// A directive held behind the write in flight.
    private enum Held: Sendable {
        case persist(PersistentState)
        case send(ElectionMessage, to: String)
    }

    /// The write the shell is carrying out, if any.
    public private(set) var writeInFlight: PersistentState?
    private var held: [Held] = []

    public init() {}

    /// Sends currently held behind a write.
    public var heldSends: Int {
        held.reduce(0) { count, item in if case .send = item { count + 1 } else { count } }
    }

    /// Filters one batch of the election's directives: returns those to carry out now, in order.
    public mutating func admit(_ directives: [ElectionDirective]) -> [ElectionDirective] {
        var now: [ElectionDirective] = []
        for directive in directives {
            switch directive {
            case .persist(let state):
                if writeInFlight == nil {
                    writeInFlight = state
                    now.append(directive)
                } else {
                    held.append(.persist(state))
                }
            case .send(let message, let to):
                if writeInFlight == nil { now.append(directive) } else { held.append(.send(message, to: to)) }
            case .wakeUp, .event:
                now.append(directive)
            }
        }
        return now
    }

    /// The write of `state` is durable: returns the sends it held, and the next write to start if
    /// one was waiting (the sends behind that one stay held). Ignores a state that is not in flight.
    public mutating func persisted(_ state: PersistentState) -> [ElectionDirective] {
        guard writeInFlight == state else { return [] }
        writeInFlight = nil
        var released: [ElectionDirective] = []
        while !held.isEmpty {
            switch held.removeFirst() {
            case .send(let message, let to):
                released.append(.send(message, to: to))
            case .persist(let next):
                writeInFlight = next
                released.append(.persist(next))
                return released
            }
        }
        return released
    }

    /// The write of `state` failed: drops every held send and queued write (none may go out now)
    /// and returns how many sends were dropped. Ignores a state that is not in flight.
    @discardableResult
    public mutating func failed(_ state: PersistentState) -> Int {
        guard writeInFlight == state else { return 0 }
        let dropped = heldSends
        writeInFlight = nil
        held = []
        return dropped
    }
}

extension PersistenceGate {
    /// The shell's whole answer to a write of `state` that became durable: tells the election and
    /// returns what to carry out now (the sends the write held, then the election's own answer).
    public mutating func writeSucceeded(_ state: PersistentState, election: inout Election, now: Instant) -> [ElectionDirective] {
        let released = persisted(state)
        return released + admit(election.onPersisted(state, now: now))
    }

    /// The shell's whole answer to a write of `state` that failed: drops what it held, tells the
    /// election (which falls back to its durable state) and returns what to carry out now.
    public mutating func writeFailed(
        _ state: PersistentState, error: String, election: inout Election, now: Instant,
        rng: inout some RandomNumberGenerator
    ) -> [ElectionDirective] {
        failed(state)
        return admit(election.onPersistFailed(state, error: error, now: now, rng: &rng))
    }
}
