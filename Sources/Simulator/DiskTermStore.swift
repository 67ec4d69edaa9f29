import Raft
import Wire

/// The simulator's `TermStore`: `(currentTerm, votedFor)` on the node's `SimulatedDisk`, so the
/// election's persisted state survives simulated crashes exactly as the file store survives real ones.
///
/// `durable: false` is the test-only "persistence switched off" setting: a store that acknowledges
/// writes it never made durable. The state lives only as long as the process, so a restart forgets
/// its term and vote, and the node's real disk never holds what it announced — the invariants must
/// then find a safety violation (issue 4, "show that the checks bite").
final class DiskTermStore: TermStore {
    private static let key = "election/term-state"
    private let disk: SimulatedDisk

    init(disk: SimulatedDisk, durable: Bool) {
        self.disk = durable ? disk : SimulatedDisk()
    }

    func load() throws -> PersistentState? { try Self.load(from: disk) }

    /// What `disk` durably holds (what the invariants compare a node's behaviour against).
    static func load(from disk: SimulatedDisk) throws -> PersistentState? {
        guard let bytes = disk.read(key) else { return nil }
        var reader = ByteReader(bytes)
        let term = try reader.readVarint("term")
        let vote = try reader.readBool("hasVote") ? try reader.readString("votedFor", limit: 64) : nil
        try reader.expectEnd()
        return PersistentState(currentTerm: term, votedFor: vote)
    }

    func save(_ state: PersistentState) { Self.save(state, to: disk) }

    static func save(_ state: PersistentState, to disk: SimulatedDisk) {
        var writer = ByteWriter(capacity: 32)
        writer.writeVarint(state.currentTerm)
        writer.write(state.votedFor != nil)
        if let vote = state.votedFor { writer.write(vote) }
        disk.write(key, writer.bytes)
    }
}
