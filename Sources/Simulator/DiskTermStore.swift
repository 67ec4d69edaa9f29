import Raft
import Wire

/// The simulator's `TermStore`: `(currentTerm, votedFor)` on the node's `SimulatedDisk`, so the
/// election's persisted state survives simulated crashes exactly as the file store survives real ones.
///
/// `durable: false` is the test-only "persistence switched off" setting: the state lives only as
/// long as the process, so a restart forgets its term and vote — the swarm must then find a
/// safety violation (issue 4, "show that the checks bite").
final class DiskTermStore: TermStore {
    private static let key = "election/term-state"
    private let disk: SimulatedDisk

    init(disk: SimulatedDisk, durable: Bool) {
        self.disk = durable ? disk : SimulatedDisk()
    }

    func load() throws -> PersistentState? {
        guard let bytes = disk.read(Self.key) else { return nil }
        var reader = ByteReader(bytes)
        let term = try reader.readVarint("term")
        let vote = try reader.readBool("hasVote") ? try reader.readString("votedFor", limit: 64) : nil
        try reader.expectEnd()
        return PersistentState(currentTerm: term, votedFor: vote)
    }

    func save(_ state: PersistentState) throws {
        var writer = ByteWriter(capacity: 32)
        writer.writeVarint(state.currentTerm)
        writer.write(state.votedFor != nil)
        if let vote = state.votedFor { writer.write(vote) }
        disk.write(Self.key, writer.bytes)
    }
}
