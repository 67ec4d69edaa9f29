import Raft
import SansIO
import Testing
import Wire
@testable import Simulator

/// The node model: envelopes reach every component that takes their kind, a component can send
/// and receive more than one kind, and components ask a sibling for the node's leadership and
/// hear when it changes.
@Suite struct ComponentHostTests {
    /// Counts what it receives; on start, node 0's copy sends one body of each of `sends`.
    struct Recorder: NodeComponent {
        let kind: MessageKind
        var alsoReceives: Set<MessageKind> = []
        var sends: [MessageKind] = []
        var received: [MessageKind] = []
        var leadershipChanges: [Leadership] = []
        var leader: Leadership?
        var observesLeadership: Bool { leader == nil }

        mutating func start(_ io: inout ComponentIO) {
            guard io.node.index == 0 else { return }
            for kind in sends { io.send([1], to: "sim:1", kind: kind) }
        }
        mutating func receive(_ body: [UInt8], from sender: String, _ io: inout ComponentIO) throws(DecodeError) {
            received.append(kind)
        }
        mutating func receive(_ body: [UInt8], of kind: MessageKind, from sender: String,
                              _ io: inout ComponentIO) throws(DecodeError) {
            received.append(kind)
        }
        mutating func wakeUp(_ io: inout ComponentIO) {}
        func leadership(now: Instant) -> Leadership? { leader }
        mutating func leadershipChanged(_ io: inout ComponentIO) { leadershipChanges.append(io.leadership) }
    }

    @Test func envelopesReachEveryComponentThatTakesTheirKind() throws {
        let simulation = Simulation(seed: 1, configuration: SimulationConfiguration(nodeCount: 2)) { _ in
            ComponentHost(components: [
                Recorder(kind: .membership, alsoReceives: [.vote], sends: [.vote, .election]),
                Recorder(kind: .vote),
            ])
        }
        simulation.run(for: .seconds(3))
        let host = try #require(simulation.process(of: 1) as? ComponentHost)
        let recorders = host.components.compactMap { $0 as? Recorder }
        #expect(recorders[0].received == [.vote])
        #expect(recorders[1].received == [.vote])
        #expect(host.unroutedEnvelopes == 1, "the election envelope has no taker")
    }

    @Test func componentsHearTheirSiblingsLeadership() throws {
        let leading = Leadership(role: .leader, term: 4, leader: "node-0", leaseExpiry: nil, isLeaseValid: false)
        let simulation = Simulation(seed: 1, configuration: SimulationConfiguration(nodeCount: 1)) { _ in
            ComponentHost(components: [Recorder(kind: .election, leader: leading), Recorder(kind: .vote)])
        }
        simulation.run(for: .seconds(2))
        let host = try #require(simulation.process(of: 0) as? ComponentHost)
        #expect(host.leadership(now: simulation.localTime(of: 0)) == leading)
        let observer = try #require(host.components.last as? Recorder)
        #expect(observer.leadershipChanges == [leading], "told once, when it first differed")
    }
}
