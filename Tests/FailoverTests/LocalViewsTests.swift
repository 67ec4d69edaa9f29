import Failover
import SansIO
import Testing

@Suite struct LocalViewsTests {
    let t0 = Instant(nanoseconds: 1_000_000_000_000)

    func result(_ success: Bool, at time: Instant, rtt: Duration? = nil) -> CheckResult {
        CheckResult(success: success, rtt: rtt, error: success ? nil : "refused", time: time)
    }

    /// Feeds `pattern` (`+` success, `-` failure) to `check`, one result a second from `start`;
    /// returns the state of each view the results changed (nil where none changed).
    func feed(_ pattern: String, to check: String, of views: inout LocalViews, from start: Instant) -> [Hysteresis.State?] {
        pattern.enumerated().map { i, c in
            let now = start + .seconds(i)
            return views.record(check: check, result(c == "+", at: now), now: now)?.state
        }
    }

    @Test func upAfterExactlyRiseDownAfterExactlyFall() {
        var views = LocalViews(checks: [.init(id: "ping", address: "192.0.2.1", rise: 2, fall: 3)], now: t0)
        #expect(views.view(of: "192.0.2.1", now: t0)?.state == .unknown)
        #expect(feed("++", to: "ping", of: &views, from: t0) == [nil, .up])
        #expect(feed("--+---", to: "ping", of: &views, from: t0 + .seconds(10)) == [nil, nil, nil, nil, nil, .down])
        #expect(feed("+-++", to: "ping", of: &views, from: t0 + .seconds(20)) == [nil, nil, nil, .up])
    }

    @Test func twoChecksOnOneAddressCombine() throws {
        var views = LocalViews(checks: [.init(id: "ping", address: "192.0.2.1", rise: 1, fall: 1),
                                        .init(id: "http", address: "192.0.2.1", rise: 1, fall: 1)], now: t0)
        #expect(views.allAddresses == ["192.0.2.1"])
        // One check up, the other undecided: unknown, and no change is reported.
        #expect(feed("+", to: "ping", of: &views, from: t0) == [nil])
        #expect(views.view(of: "192.0.2.1", now: t0)?.state == .unknown)
        // Both up: up.
        #expect(feed("+", to: "http", of: &views, from: t0 + .seconds(1)) == [.up])
        // Any down: down, though the other is still up.
        #expect(feed("-", to: "http", of: &views, from: t0 + .seconds(2)) == [.down])
        #expect(feed("+", to: "ping", of: &views, from: t0 + .seconds(3)) == [nil])
        #expect(views.view(of: "192.0.2.1", now: t0 + .seconds(3))?.state == .down)
        #expect(feed("-", to: "ping", of: &views, from: t0 + .seconds(4)) == [nil])
        // Back up only when every check is up again.
        #expect(feed("+", to: "http", of: &views, from: t0 + .seconds(5)) == [nil])
        #expect(feed("+", to: "ping", of: &views, from: t0 + .seconds(6)) == [.up])
    }

    @Test func viewCarriesStreaksAndRTT() throws {
        var views = LocalViews(checks: [.init(id: "ping", address: "192.0.2.1", rise: 1, fall: 2),
                                        .init(id: "http", address: "192.0.2.1", rise: 1, fall: 2)], now: t0)
        _ = views.record(check: "ping", result(true, at: t0, rtt: .milliseconds(20)), now: t0)
        _ = views.record(check: "ping", result(true, at: t0, rtt: .milliseconds(30)), now: t0)
        let recorded = views.record(check: "http", result(true, at: t0, rtt: .milliseconds(25)), now: t0)
        let view = try #require(recorded)
        #expect(view.state == .up)
        #expect(view.successes == 1)  // the weakest check's streak
        #expect(view.failures == 0)
        #expect(view.lastRTT == .milliseconds(30))
        _ = views.record(check: "http", result(false, at: t0), now: t0)
        let failing = try #require(views.view(of: "192.0.2.1", now: t0))
        #expect(failing.state == .up)  // fall 2: one failure changes nothing yet
        #expect(failing.successes == 0)
        #expect(failing.failures == 1)
    }

    @Test func ageGrowsWithTimeAndRestartsOnAChange() throws {
        var views = LocalViews(checks: [.init(id: "ping", address: "192.0.2.1", rise: 1, fall: 1)], now: t0)
        #expect(views.view(of: "192.0.2.1", now: t0)?.age == .zero)
        #expect(views.view(of: "192.0.2.1", now: t0 + .seconds(7))?.age == .seconds(7))
        let recorded = views.record(check: "ping", result(true, at: t0 + .seconds(10)), now: t0 + .seconds(10))
        let changed = try #require(recorded)
        #expect(changed.age == .zero)
        #expect(views.view(of: "192.0.2.1", now: t0 + .seconds(13))?.age == .seconds(3))
        // A result that changes nothing leaves the age running.
        #expect(views.record(check: "ping", result(true, at: t0 + .seconds(14)), now: t0 + .seconds(14)) == nil)
        #expect(views.view(of: "192.0.2.1", now: t0 + .seconds(15))?.age == .seconds(5))
        // A clock that reads earlier than the change never gives a negative age.
        #expect(views.view(of: "192.0.2.1", now: t0)?.age == .zero)
    }

    @Test func unknownCheckIdsAndAddressesAreIgnored() {
        var views = LocalViews(checks: [.init(id: "ping", address: "192.0.2.1", rise: 1, fall: 1)], now: t0)
        let before = views.all(now: t0)
        #expect(views.record(check: "nope", result(false, at: t0), now: t0) == nil)
        #expect(views.all(now: t0) == before)
        #expect(views.view(of: "192.0.2.99", now: t0) == nil)
    }

    @Test func allIsSortedByAddress() {
        let views = LocalViews(checks: [.init(id: "c", address: "2001:db8::1", rise: 1, fall: 1),
                                        .init(id: "a", address: "192.0.2.2", rise: 1, fall: 1),
                                        .init(id: "b", address: "192.0.2.1", rise: 1, fall: 1)], now: t0)
        #expect(views.all(now: t0).map(\.address) == ["192.0.2.1", "192.0.2.2", "2001:db8::1"])
        #expect(views.allAddresses == ["192.0.2.1", "192.0.2.2", "2001:db8::1"])
    }
}
