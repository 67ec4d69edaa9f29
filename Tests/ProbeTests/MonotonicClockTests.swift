import Foundation
import IO
import SansIO
import Testing

@Suite struct MonotonicClockTests {
    /// Two clocks made at different times read the same instant: a lease expiry from one service's
    /// clock compares correctly with `now` from another's.
    @Test func clocksMadeAtDifferentTimesAgree() async throws {
        let early = MonotonicClock()
        try await Task.sleep(for: .milliseconds(50))
        let late = MonotonicClock()
        let a = early.now(), b = late.now(), c = early.now()
        #expect(a <= b && b <= c, "a later clock must not read earlier than an older one")
        // With per-clock origins the late clock would read about 50 ms behind the early one.
        #expect(early.now() - late.now() < .milliseconds(5))
    }

    @Test func momentsAndInstantsRoundTrip() {
        let clock = MonotonicClock()
        let instant = clock.now() + .milliseconds(250)
        #expect(clock.instant(at: clock.moment(at: instant)) == instant)
    }
}
