import Failover
import Testing

@Suite struct CombinedStateTests {
    @Test func downWhenAnyCheckIsDown() {
        #expect(CombinedState.combine([.down]) == .down)
        #expect(CombinedState.combine([.up, .down]) == .down)
        #expect(CombinedState.combine([.unknown, .down, .up]) == .down)
    }

    @Test func upOnlyWhenEveryCheckIsUp() {
        #expect(CombinedState.combine([.up]) == .up)
        #expect(CombinedState.combine([.up, .up, .up]) == .up)
    }

    @Test func unknownOtherwise() {
        #expect(CombinedState.combine([.up, .unknown]) == .unknown)
        #expect(CombinedState.combine([.unknown]) == .unknown)
        // No check at all vouches for nothing.
        #expect(CombinedState.combine([Hysteresis.State]()) == .unknown)
    }
}
