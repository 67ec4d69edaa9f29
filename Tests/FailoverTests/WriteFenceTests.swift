import Failover
import Raft
import SansIO
import Testing

@Suite struct WriteFenceTests {
    let now = Instant(nanoseconds: 50_000_000_000)

    func permit(remaining: Duration) throws -> WritePermit {
        try #require(WritePermit(Fixtures.leader(now: now, lease: remaining), node: "a", now: now))
    }

    @Test func admitsIffTheLeaseCoversDeadlinePlusMargin() throws {
        let fence = WriteFence(requestDeadline: .milliseconds(750), margin: .milliseconds(100))
        #expect(fence.admits(try permit(remaining: .milliseconds(850)), now: now))
        #expect(fence.admits(try permit(remaining: .seconds(5)), now: now))
        #expect(!fence.admits(try permit(remaining: .milliseconds(850) - .nanoseconds(1)), now: now))
        #expect(!fence.admits(try permit(remaining: .milliseconds(10)), now: now))
        // The same permit stops admitting as time passes: it is asked before every call.
        let permit = try permit(remaining: .seconds(1))
        #expect(fence.admits(permit, now: now + .milliseconds(150)))
        #expect(!fence.admits(permit, now: now + .milliseconds(151)))
    }

    @Test func defaultsAreTheDesignOnes() {
        let fence = WriteFence()
        #expect(fence.requestDeadline == .milliseconds(750))
        #expect(fence.margin == .milliseconds(100))
        #expect(fence.isEnabled)
    }

    @Test func disabledAdmitsAnything() throws {
        let fence = WriteFence(isEnabled: false)
        #expect(fence.admits(try permit(remaining: .nanoseconds(1)), now: now))
        let permit = try permit(remaining: .seconds(1))
        #expect(fence.admits(permit, now: now + .seconds(10)))
    }
}
