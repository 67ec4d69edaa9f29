import Glibc
import Testing
@testable import Node

@Suite struct SignalEventsTests {
    /// SIGHUP becomes an event instead of ending the process, and arrives once per signal.
    @Test func hangUpArrivesAsAnEvent() async {
        let events = SignalEvents([.hangUp])
        defer { events.cancel() }
        var iterator = events.stream.makeAsyncIterator()
        kill(getpid(), SIGHUP)
        #expect(await iterator.next() == .hangUp)
        kill(getpid(), SIGHUP)
        #expect(await iterator.next() == .hangUp)
    }
}
