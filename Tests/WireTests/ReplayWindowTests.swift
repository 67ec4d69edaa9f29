import Testing
@testable import Wire

@Suite struct ReplayWindowTests {
    @Test func duplicateIsDropped() {
        var window = ReplayWindow()
        #expect(window.check(sender: "a", bootEpoch: 1, sequence: 5) == .accept)
        #expect(window.check(sender: "a", bootEpoch: 1, sequence: 5) == .duplicate)
        #expect(window.check(sender: "b", bootEpoch: 1, sequence: 5) == .accept)
    }

    @Test func sameDatagramTwiceThroughChannel() throws {
        let ring = Fixtures.ring(Fixtures.key(1))
        var sender = Fixtures.channel(ring)
        var receiver = Fixtures.channel(ring, seed: 2)
        let datagram = try sender.seal(Fixtures.envelope())
        #expect(throws: Never.self) { try receiver.open(datagram).get() }
        #expect(receiver.open(datagram) == .failure(.replay(.duplicate)))
        #expect(DropReason.replay(.duplicate).reason == "duplicate")
    }

    @Test func olderThanWindowIsStale() {
        var window = ReplayWindow()
        #expect(window.check(sender: "a", bootEpoch: 1, sequence: 100) == .accept)
        #expect(window.check(sender: "a", bootEpoch: 1, sequence: 100 - ReplayWindow.windowSize) == .stale)
        #expect(window.check(sender: "a", bootEpoch: 1, sequence: 101 - ReplayWindow.windowSize) == .accept)
        #expect(window.check(sender: "a", bootEpoch: 1, sequence: 1_000) == .accept)
        #expect(window.check(sender: "a", bootEpoch: 1, sequence: 999) == .accept)
        #expect(window.check(sender: "a", bootEpoch: 1, sequence: 100) == .stale)
    }

    @Test func reorderingWithinWindowAcceptedOnceEach() {
        var window = ReplayWindow()
        let order: [UInt64] = [10, 3, 7, 1, 9, 2, 8, 4, 6, 5, 0, 11]
        for sequence in order { #expect(window.check(sender: "a", bootEpoch: 1, sequence: sequence) == .accept) }
        for sequence in order { #expect(window.check(sender: "a", bootEpoch: 1, sequence: sequence) == .duplicate) }
    }

    @Test func restartAndStaleEpoch() {
        var window = ReplayWindow()
        #expect(window.check(sender: "a", bootEpoch: 1, sequence: 500) == .accept)
        #expect(window.check(sender: "a", bootEpoch: 2, sequence: 0) == .accept)
        #expect(window.check(sender: "a", bootEpoch: 2, sequence: 1) == .accept)
        #expect(window.check(sender: "a", bootEpoch: 2, sequence: 0) == .duplicate)
        #expect(window.check(sender: "a", bootEpoch: 1, sequence: 501) == .staleEpoch)
        #expect(ReplayWindow.Verdict.staleEpoch.reason == "stale_epoch")
    }

    @Test func senderCapBoundsMemory() {
        var window = ReplayWindow(maximumSenders: 4)
        for index in 0..<4 { #expect(window.check(sender: "n\(index)", bootEpoch: 1, sequence: 1) == .accept) }
        #expect(window.check(sender: "n4", bootEpoch: 1, sequence: 1) == .tooManySenders)
        #expect(window.check(sender: "n0", bootEpoch: 1, sequence: 2) == .accept)
        #expect(window.senderCount == 4)
        window.forget(sender: "n0")
        #expect(window.check(sender: "n4", bootEpoch: 1, sequence: 1) == .accept)
    }
}
