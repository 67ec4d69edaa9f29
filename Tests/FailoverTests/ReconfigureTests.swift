import Failover
import Raft
import SansIO
import Testing

/// A configuration reload (`FailoverInstance.onReconfigure`): what an agent has seen survives it,
/// removed checks stop voting, and a leader re-reads the provider before writing for a new target.
@Suite struct ReconfigureTests {
    let a = Fixtures.pool[0], b = Fixtures.pool[1], c = Fixtures.pool[2]

    @Test func unchangedChecksKeepTheirViewsAndStreaks() {
        let now = Instant(nanoseconds: 1_000_000_000)
        let checks = [LocalViews.Check(id: "one", address: a, rise: 2, fall: 3), LocalViews.Check(id: "two", address: b, rise: 2, fall: 3)]
        var views = LocalViews(checks: checks, now: now)
        _ = views.record(check: "one", CheckResult(success: true, time: now), now: now)
        _ = views.record(check: "one", CheckResult(success: true, time: now), now: now)
        _ = views.record(check: "two", CheckResult(success: false, time: now), now: now)
        let later = now + .seconds(5)
        // "two" changes its fall, a new check arrives: "one" keeps up-since-now, "two" restarts.
        let changed = views.reconfigure(checks: [checks[0], LocalViews.Check(id: "two", address: b, rise: 2, fall: 1),
                                                 LocalViews.Check(id: "three", address: c, rise: 1, fall: 1)], now: later)
        #expect(changed.isEmpty)
        #expect(views.view(of: a, now: later)?.state == .up)
        #expect(views.view(of: a, now: later)?.age == .seconds(5))
        #expect(views.view(of: b, now: later)?.failures == 0)
        #expect(views.view(of: c, now: later)?.state == .unknown)
        #expect(views.allAddresses == [a, b, c].sorted())
        // A check moved to another address takes its new address's view from scratch.
        let moved = views.reconfigure(checks: [LocalViews.Check(id: "one", address: b, rise: 2, fall: 3)], now: later)
        #expect(views.allAddresses == [b])
        #expect(moved.isEmpty && views.view(of: b, now: later)?.state == .unknown)
    }

    @Test func aRemovedCheckNoLongerVotesAndViewsSurvive() throws {
        var driver = try FailoverInstanceTests.converged()
        _ = FailoverInstanceTests.ownDown([a], &driver)
        #expect(driver.instance.tally.views(of: a)["a"]?.state == .down)
        var settings = FailoverInstanceTests.settings()
        settings.checks.removeAll { $0.address == a }
        let output = driver.reconfigure(settings)
        #expect(driver.instance.tally.views(of: a)["a"] == nil)
        #expect(driver.instance.views.view(of: a, now: driver.now) == nil)
        #expect(driver.instance.views.view(of: b, now: driver.now) != nil)
        // The new view set goes to every peer at once.
        #expect(Set(output.sends.map(\.to)) == ["b", "c"])
        #expect(output.sends.allSatisfy { !$0.message.views.contains { $0.address == a } })
    }

    @Test func aNewTargetIsListedBeforeAnyWrite() throws {
        var driver = try FailoverInstanceTests.converged(zone: FailoverInstanceTests.zone(["www.example.com", "api.example.com"]))
        let output = driver.reconfigure(FailoverInstanceTests.settings(hostnames: ["api.example.com", "www.example.com"]))
        #expect(output.calls.map(\.request) == [.list(name: "api.example.com")])
        let rest = try driver.settle()
        #expect(rest.calls.map(\.request) == [.list(name: "www.example.com")])
        #expect(driver.log.writes.isEmpty)
    }

    @Test func identityAndTheVoteRuleStayAsTheyRun() throws {
        var driver = try FailoverInstanceTests.converged()
        var settings = FailoverInstanceTests.settings(dryRun: true)
        settings.myself = "z"
        settings.voters = ["z"]
        settings.minPeersAgree = 0
        _ = driver.reconfigure(settings)
        #expect(driver.instance.settings.myself == "a" && driver.instance.settings.voters == ["a", "b", "c"])
        #expect(driver.instance.settings.minPeersAgree == 1 && driver.instance.settings.dryRun)
        // One agent alone still cannot remove an address.
        let down = FailoverInstanceTests.ownDown([b], &driver)
        #expect(down.calls.isEmpty && driver.instance.verdicts[b] != .remove)
    }
}
