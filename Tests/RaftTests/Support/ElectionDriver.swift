import Raft
import SansIO

/// Drives one ``Election`` by hand in unit tests, as a shell would: times are seconds on the
/// node's clock, directives go through a ``PersistenceGate``, and writes land on `store`.
///
/// Every input returns what the shell carries out: the directives the gate lets through (a
/// `.persist` among them is a write started), then, when `confirmsWrites` is on (the default),
/// what completing each write at the same instant released. With it off, writes stay in flight
/// until ``confirmWrite(at:)`` or ``failWrite(at:)``.
struct ElectionDriver {
    var election: Election
    var gate = PersistenceGate()
    let store: MemoryTermStore
    var rng = SeededGenerator(seed: 42)
    var confirmsWrites = true

    /// Loads `store` the way a shell does at start.
    init(
        myself: String = "a", voters: [String] = ["a", "b", "c"], settings: ElectionSettings = ElectionSettings(),
        store: MemoryTermStore = MemoryTermStore()
    ) throws {
        self.store = store
        election = try Election(myself: myself, voters: voters, settings: settings, persistent: try store.load() ?? .initial)
    }

    mutating func start(at seconds: Double) -> [ElectionDirective] {
        let instant = at(seconds)
        return carry(election.onStart(now: instant, rng: &rng), now: instant)
    }

    mutating func wake(at seconds: Double) -> [ElectionDirective] { wake(at: at(seconds)) }

    mutating func wake(at instant: Instant) -> [ElectionDirective] {
        carry(election.onWakeUp(now: instant, rng: &rng), now: instant)
    }

    mutating func receive(_ message: ElectionMessage, from sender: String, at seconds: Double) -> [ElectionDirective] {
        receive(message, from: sender, at: at(seconds))
    }

    mutating func receive(_ message: ElectionMessage, from sender: String, at instant: Instant) -> [ElectionDirective] {
        carry(election.onMessage(message, from: sender, now: instant, rng: &rng), now: instant)
    }

    mutating func shutDown(at instant: Instant) -> [ElectionDirective] {
        carry(election.onShutdown(now: instant), now: instant)
    }

    /// Completes the write in flight (it lands on `store`, or fails if `store.failsSaves`).
    mutating func confirmWrite(at seconds: Double) -> [ElectionDirective] { confirmWrite(at: at(seconds)) }

    mutating func confirmWrite(at instant: Instant) -> [ElectionDirective] {
        guard let state = gate.writeInFlight else { return [] }
        return carry(complete(state, now: instant), now: instant, admitted: true)
    }

    /// Fails the write in flight without touching `store`.
    mutating func failWrite(at seconds: Double) -> [ElectionDirective] {
        guard let state = gate.writeInFlight else { return [] }
        return carry(fail(state, now: at(seconds)), now: at(seconds), admitted: true)
    }

    private mutating func carry(_ directives: [ElectionDirective], now: Instant, admitted: Bool = false) -> [ElectionDirective] {
        var output = admitted ? directives : gate.admit(directives)
        var index = 0
        while confirmsWrites, index < output.count {
            if case .persist(let state) = output[index] { output += complete(state, now: now) }
            index += 1
        }
        return output
    }

    private mutating func complete(_ state: PersistentState, now: Instant) -> [ElectionDirective] {
        do {
            try store.save(state)
        } catch {
            return fail(state, now: now, error: String(describing: error))
        }
        return gate.writeSucceeded(state, election: &election, now: now)
    }

    private mutating func fail(_ state: PersistentState, now: Instant, error: String = "injected save failure") -> [ElectionDirective] {
        gate.writeFailed(state, error: error, election: &election, now: now, rng: &rng)
    }

    func leadership(at seconds: Double) -> Leadership { election.leadership(now: at(seconds)) }
    func leadership(at instant: Instant) -> Leadership { election.leadership(now: instant) }

    /// Starts at 0 and wins term 1 with `b`'s pre-vote and vote; returns the instant it became
    /// leader (the send time of heartbeat round 1).
    mutating func becomeLeader() -> Instant {
        let deadline = start(at: 0).wakeUp!
        _ = wake(at: deadline)
        _ = receive(.preVoteResponse(term: 1, granted: true), from: "b", at: deadline)
        _ = receive(.voteResponse(term: 1, granted: true), from: "b", at: deadline)
        return deadline
    }
}

func at(_ seconds: Double) -> Instant { Instant(nanoseconds: Int64((seconds * 1e9).rounded())) }

extension [ElectionDirective] {
    var sent: [(message: ElectionMessage, to: String)] {
        compactMap { if case .send(let message, let to) = $0 { (message, to) } else { nil } }
    }

    func sent(to recipient: String) -> [ElectionMessage] {
        sent.filter { $0.to == recipient }.map(\.message)
    }

    var wakeUp: Instant? {
        compactMap { if case .wakeUp(let instant) = $0 { instant } else { nil } }.last
    }

    var writes: [PersistentState] {
        compactMap { if case .persist(let state) = $0 { state } else { nil } }
    }

    var events: [ElectionEvent] {
        compactMap { if case .event(let event) = $0 { event } else { nil } }
    }
}
