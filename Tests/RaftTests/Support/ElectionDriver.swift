import Raft
import SansIO

/// Drives one ``Election`` by hand in unit tests: times are seconds on the node's clock.
struct ElectionDriver {
    var election: Election
    let store: MemoryTermStore
    var rng = SeededGenerator(seed: 42)

    init(
        myself: String = "a", voters: [String] = ["a", "b", "c"], settings: ElectionSettings = ElectionSettings(),
        store: MemoryTermStore = MemoryTermStore()
    ) throws {
        self.store = store
        election = try Election(myself: myself, voters: voters, settings: settings, store: store)
    }

    mutating func start(at seconds: Double) -> [ElectionDirective] {
        election.onStart(now: at(seconds), rng: &rng)
    }

    mutating func wake(at seconds: Double) -> [ElectionDirective] {
        election.onWakeUp(now: at(seconds), rng: &rng)
    }

    mutating func wake(at instant: Instant) -> [ElectionDirective] {
        election.onWakeUp(now: instant, rng: &rng)
    }

    mutating func receive(_ message: ElectionMessage, from sender: String, at seconds: Double) -> [ElectionDirective] {
        election.onMessage(message, from: sender, now: at(seconds), rng: &rng)
    }

    mutating func receive(_ message: ElectionMessage, from sender: String, at instant: Instant) -> [ElectionDirective] {
        election.onMessage(message, from: sender, now: instant, rng: &rng)
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

    var events: [ElectionEvent] {
        compactMap { if case .event(let event) = $0 { event } else { nil } }
    }
}
