import Raft
import SansIO
import Testing

/// The hold rule of ``PersistenceGate``: sends after an unconfirmed write wait for it; wake-ups and
/// events never wait; one write at a time, in order; a failed write takes its held sends with it.
@Suite struct PersistenceGateTests {
    let one = PersistentState(currentTerm: 1, votedFor: "a")
    let two = PersistentState(currentTerm: 2, votedFor: "b")
    let grant = ElectionDirective.send(.voteResponse(term: 1, granted: true), to: "a")
    let ack = ElectionDirective.send(.heartbeatAck(term: 2, round: 1, accepted: true), to: "b")
    let ping = ElectionDirective.send(.heartbeat(term: 0, round: 1), to: "c")
    let wake = ElectionDirective.wakeUp(at: Instant(nanoseconds: 5))
    let event = ElectionDirective.event(.leaderChanged(leader: nil, term: 1))

    @Test func withoutAWriteEverythingPassesAtOnce() {
        var gate = PersistenceGate()
        #expect(gate.admit([ping, wake, event]) == [ping, wake, event])
        #expect(gate.writeInFlight == nil)
    }

    @Test func sendsAfterAWriteWaitForItButWakeUpsAndEventsDoNot() {
        var gate = PersistenceGate()
        #expect(gate.admit([ping, .persist(one), grant, wake, event]) == [ping, .persist(one), wake, event])
        #expect(gate.heldSends == 1)
        #expect(gate.admit([ack]).isEmpty)  // a later batch waits too
        #expect(gate.persisted(one) == [grant, ack])
        #expect(gate.heldSends == 0 && gate.writeInFlight == nil)
        #expect(gate.admit([ping]) == [ping])
    }

    @Test func writesStartOneAtATimeAndReleaseOnlyTheirOwnSends() {
        var gate = PersistenceGate()
        #expect(gate.admit([.persist(one), grant, .persist(two), ack]) == [.persist(one)])
        #expect(gate.persisted(one) == [grant, .persist(two)])
        #expect(gate.writeInFlight == two)
        #expect(gate.persisted(two) == [ack])
    }

    @Test func aFailedWriteDropsItsSendsAndEveryQueuedWrite() {
        var gate = PersistenceGate()
        _ = gate.admit([.persist(one), grant, .persist(two), ack])
        #expect(gate.failed(one) == 2)
        #expect(gate.writeInFlight == nil && gate.heldSends == 0)
        #expect(gate.persisted(two).isEmpty)  // never started, so nothing to confirm
        #expect(gate.admit([ping]) == [ping])
    }

    @Test func reportsForAWriteNotInFlightAreIgnored() {
        var gate = PersistenceGate()
        _ = gate.admit([.persist(one), grant])
        #expect(gate.persisted(two).isEmpty)
        #expect(gate.failed(two) == 0)
        #expect(gate.heldSends == 1)
    }
}
