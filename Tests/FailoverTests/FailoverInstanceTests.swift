import Failover
import Raft
import SansIO
import Testing

@Suite struct FailoverInstanceTests {
    static let pool = Fixtures.pool
    let a = Fixtures.pool[0], b = Fixtures.pool[1], c = Fixtures.pool[2]

    static func settings(hostnames: [String] = [Fixtures.name], batch: Bool = true, dryRun: Bool = false,
                         voteTTL: Duration = .seconds(30), checks: [LocalViews.Check]? = nil) -> FailoverSettings {
        FailoverSettings(myself: "a", voters: ["a", "b", "c"],
                         checks: checks ?? pool.map { .init(id: "ping-\($0)", address: $0, rise: 2, fall: 3) },
                         minPeersAgree: 1, voteTTL: voteTTL, dns: DNSTarget(hostnames: hostnames, pool: pool),
                         providerSupportsBatch: batch, dryRun: dryRun)
    }

    /// Every pool address served under each of `hostnames`.
    static func zone(_ hostnames: [String] = [Fixtures.name]) -> FakeZone {
        var zone = FakeZone()
        for name in hostnames {
            for address in pool { zone.records.append(Fixtures.record(zone.newID(), address, name: name)) }
        }
        return zone
    }

    /// A leader that has started and listed every name, with nothing to write.
    static func converged(_ settings: FailoverSettings = settings(), zone: FakeZone = zone()) throws -> FailoverDriver {
        var driver = FailoverDriver(settings: settings, zone: zone)
        _ = driver.start()
        _ = try driver.settle()
        #expect(driver.log.writes.isEmpty)
        #expect(driver.log.events.compactMap { if case .wouldWrite = $0 { $0 } else { nil } }.isEmpty)
        return driver
    }

    /// This agent sees `addresses` down (fall 3); no peer agrees yet.
    static func ownDown(_ addresses: [String], _ driver: inout FailoverDriver) -> [FailoverDirective] {
        addresses.flatMap { driver.check("ping-\($0)", false, count: 3) }
    }

    func record(_ address: String, in zone: FakeZone) throws -> DNSRecord {
        try #require(zone.records.first { $0.content == address && $0.name == Fixtures.name })
    }

    /// Wakes the instance at each instant it asks for until it makes a call (at most `limit` wake-ups).
    static func runUntilCall(_ driver: inout FailoverDriver, limit: Int = 40) throws -> (output: [FailoverDirective], at: Instant) {
        for _ in 0..<limit {
            let next = try #require(driver.log.wakeUp, "no wake-up armed")
            let output = driver.wake(at: next)
            if !output.calls.isEmpty { return (output, next) }
        }
        Issue.record("no call after \(limit) wake-ups")
        return ([], driver.now)
    }

    // MARK: - Votes

    @Test func startSendsEveryViewToEveryPeerVoter() {
        var driver = FailoverDriver(settings: Self.settings())
        driver.term = nil
        let output = driver.start(bootEpoch: 5)
        #expect(Set(output.sends.map(\.to)) == ["b", "c"])
        for peer in ["b", "c"] {
            let messages = output.sends.filter { $0.to == peer }.map(\.message)
            #expect(messages.flatMap(\.views).map(\.address) == Self.pool)
            #expect(messages.flatMap(\.views).allSatisfy { $0.state == .unknown })
            #expect(messages.allSatisfy { $0.bootEpoch == 5 })
        }
        #expect(output.calls.isEmpty)
        #expect(output.wakeUp == driver.now + .seconds(5))
    }

    @Test func aLargeViewSetIsSplitIntoDatagramsForEveryPeer() {
        let checks = (0..<1_000).map { LocalViews.Check(id: "c\($0)", address: "10.0.\($0 / 256).\($0 % 256)", rise: 1, fall: 1) }
        var driver = FailoverDriver(settings: Self.settings(checks: checks))
        driver.term = nil
        let output = driver.start()
        for peer in ["b", "c"] {
            let messages = output.sends.filter { $0.to == peer }.map(\.message)
            #expect(messages.count > 1)
            #expect(messages.allSatisfy { $0.encoded().count <= VoteMessage.maximumBodyBytes })
            #expect(Set(messages.map(\.round)).count == 1)
            #expect(messages.flatMap(\.views).map(\.address) == checks.map(\.address).sorted())
        }
    }

    @Test func aViewChangeSendsAVoteToEveryPeer() throws {
        var driver = FailoverDriver(settings: Self.settings())
        driver.term = nil
        let start = driver.start()
        let startRound = try #require(start.sends.first?.message.round)
        #expect(driver.check("ping-\(a)", false, count: 2).sends.isEmpty)
        driver.now += .seconds(1)
        let output = driver.check("ping-\(a)", false)
        let changed = try #require(output.events.compactMap { if case .viewChanged(let view) = $0 { view } else { nil } }.first)
        #expect(changed.address == a && changed.state == .down && changed.failures == 3)
        #expect(output.sends.map(\.to).sorted() == ["b", "c"])
        for send in output.sends {
            #expect(send.message.views == [changed])
            #expect(send.message.round > startRound)
            #expect(send.message.bootEpoch == 1)
        }
    }

    @Test func everyVoteIntervalResendsEveryView() throws {
        var driver = FailoverDriver(settings: Self.settings())
        driver.term = nil
        let start = driver.start()
        let wake = try #require(start.wakeUp)
        #expect(driver.wake(at: wake - .nanoseconds(1)).sends.isEmpty)
        let resent = driver.wake(at: wake)
        #expect(resent.sends.count == 2)
        #expect(resent.sends.allSatisfy { $0.message.views.map(\.address) == Self.pool })
        #expect(resent.sends[0].message.round > start.sends[0].message.round)
        #expect(resent.wakeUp == wake + .seconds(5))
    }

    // MARK: - Takeover and the decision

    @Test func theLeaderListsEveryHostnameFirstOneAtATime() throws {
        let names = ["www.example.com", "api.example.com"]
        var driver = FailoverDriver(settings: Self.settings(hostnames: names), zone: Self.zone(names))
        #expect(driver.start().calls.map(\.request) == [.list(name: "api.example.com")])
        #expect(try driver.answer().calls.map(\.request) == [.list(name: "www.example.com")])
        let last = try driver.answer()
        #expect(last.calls.isEmpty)
        #expect(driver.log.calls.allSatisfy { $0.permit == nil })
        let state = try #require(driver.instance.leaderState)
        #expect(state.stale.isEmpty)
        #expect(state.records["www.example.com"]?.count == 3)
        #expect(state.term == 3)
    }

    @Test(arguments: [false, true])
    func aQuorumOfDownViewsIssuesExactlyOneDelete(batch: Bool) throws {
        var driver = try Self.converged(Self.settings(batch: batch))
        let doomed = try record(a, in: driver.zone)
        // The own view alone is one agent: nothing is written.
        #expect(Self.ownDown([a], &driver).writes.isEmpty)
        #expect(driver.instance.verdicts[a] == .keep)
        let output = driver.vote(from: "b", [a: .down])
        #expect(output.events.contains(.decisionChanged(address: a, TallyDecision(verdict: .remove, down: ["a", "b"], up: []))))
        // The leader knows the records already: the delete goes out with no list first.
        #expect(output.calls.count == 1)
        let call = try #require(output.writes.first)
        #expect(call.request == .delete(doomed))
        let permit = try #require(call.permit)
        #expect(permit.term == 3 && permit.node == "a")
        #expect(permit.leaseExpiry == driver.now + .milliseconds(1_200))
        #expect(call.deadline == WriteFence().requestDeadline)
        #expect(try driver.answer().calls.isEmpty)
        #expect(driver.zone.contents() == [b, c].sorted())
        #expect(driver.log.writes.count == 1)
    }

    @Test func aMultiChangePlanIsOneBatchWhereSupported() throws {
        var driver = try Self.converged(Self.settings(batch: true))
        let doomed = [try record(a, in: driver.zone), try record(b, in: driver.zone)]
        _ = Self.ownDown([a, b], &driver)
        let output = driver.vote(from: "b", [a: .down, b: .down])
        #expect(output.calls.map(\.request) == [.batch(creates: [], deletes: doomed)])
        _ = try driver.settle()
        #expect(driver.log.writes.count == 1)
        #expect(driver.zone.contents() == [c])
    }

    @Test func withoutBatchesTheChangesAreSingleCallsInTurn() throws {
        var driver = try Self.converged(Self.settings(batch: false))
        let doomed = [try record(a, in: driver.zone), try record(b, in: driver.zone)]
        _ = Self.ownDown([a, b], &driver)
        #expect(driver.vote(from: "b", [a: .down, b: .down]).calls.map(\.request) == [.delete(doomed[0])])
        #expect(try driver.answer().calls.map(\.request) == [.delete(doomed[1])])
        #expect(try driver.answer().calls.isEmpty)
        #expect(driver.zone.contents() == [c])
    }

    @Test func restoreCreatesBeforeDeletesWithTheAuditComment() throws {
        var zone = FakeZone()
        zone.records = [Fixtures.record(zone.newID(), a)]
        var driver = try Self.converged(Self.settings(batch: false), zone: zone)
        // b comes up (quorum), a goes down (quorum): the create goes first.
        _ = driver.check("ping-\(b)", true, count: 2)
        _ = Self.ownDown([a], &driver)
        let output = driver.vote(from: "c", [a: .down, b: .up])
        let create = try #require(output.writes.first)
        #expect(create.request == .create(RecordSpec(name: Fixtures.name, type: .a, content: b, proxied: false, ttl: 60,
                                                     comment: "vantage: term 3 node a")))
        #expect(create.permit?.auditComment == "vantage: term 3 node a")
        #expect(try driver.answer().writes.map(\.request) == [.delete(try record(a, in: driver.zone))])
        _ = try driver.settle()
        #expect(driver.zone.contents() == [b])
    }

    // MARK: - Fencing

    @Test func aShortLeaseFencesTheWriteUntilARenewal() throws {
        var driver = try Self.converged()
        driver.lease = .milliseconds(500)
        _ = Self.ownDown([a], &driver)
        let fenced = driver.vote(from: "b", [a: .down])
        #expect(fenced.calls.isEmpty)
        #expect(fenced.events.contains(.writeFenced(remainingLease: .milliseconds(500))))
        // Still fenced: no write, and the event is not repeated.
        let again = driver.vote(from: "c", [a: .down])
        #expect(again.calls.isEmpty)
        #expect(!again.events.contains { if case .writeFenced = $0 { true } else { false } })
        // A heartbeat round renews the lease: the write starts at once.
        driver.lease = .milliseconds(850)
        let renewed = driver.leadershipChanged()
        #expect(renewed.writes.map(\.request) == [.delete(try record(a, in: driver.zone))])
    }

    @Test func anInvalidLeaseListsButNeverWrites() throws {
        var driver = FailoverDriver(settings: Self.settings(), zone: Self.zone())
        driver.lease = nil
        #expect(driver.start().calls.map(\.request) == [.list(name: Fixtures.name)])
        _ = try driver.settle()
        _ = Self.ownDown([a], &driver)
        #expect(driver.vote(from: "b", [a: .down]).calls.isEmpty)
        #expect(driver.wake(at: driver.now + .seconds(1)).calls.isEmpty)
        #expect(driver.log.writes.isEmpty)
        driver.lease = .milliseconds(1_200)
        #expect(driver.leadershipChanged().writes.map(\.request) == [.delete(try record(a, in: driver.zone))])
    }

    @Test func aFollowerNeverCallsTheProvider() throws {
        var driver = FailoverDriver(settings: Self.settings(), zone: Self.zone())
        driver.term = nil
        _ = driver.start()
        _ = Self.ownDown(Self.pool, &driver)
        _ = driver.vote(from: "b", [a: .down, b: .down, c: .down])
        _ = driver.vote(from: "c", [a: .down, b: .down, c: .down])
        #expect(driver.instance.verdicts[a] == .remove)
        for _ in 0..<10 { _ = driver.wake(at: driver.log.wakeUp ?? driver.now + .seconds(5)) }
        // A leadership answer naming another node as leader is no leadership either.
        let other = Leadership(role: .leader, term: 9, leader: "b", leaseExpiry: driver.now + .seconds(1), isLeaseValid: true)
        let output = driver.instance.onLeadership(other, now: driver.now, rng: &driver.rng)
        #expect(output.calls.isEmpty)
        #expect(driver.log.calls.isEmpty)
        #expect(driver.instance.leaderState == nil)
    }

    @Test func aLeaderThatStepsDownStopsAndANewTermRelists() throws {
        var driver = try Self.converged()
        driver.term = nil
        #expect(driver.leadershipChanged().calls.isEmpty)
        #expect(driver.instance.leaderState == nil)
        _ = Self.ownDown([a], &driver)
        #expect(driver.vote(from: "b", [a: .down]).calls.isEmpty)
        driver.term = 5
        let takeover = driver.leadershipChanged()
        #expect(takeover.calls.map(\.request) == [.list(name: Fixtures.name)])
        #expect(try driver.answer().writes.first?.permit?.term == 5)
    }

    @Test func theFenceIsAskedBeforeEveryCallNotOncePerPlan() throws {
        var driver = try Self.converged(Self.settings(batch: false))
        _ = Self.ownDown([a, b], &driver)
        #expect(driver.vote(from: "b", [a: .down, b: .down]).writes.count == 1)
        // The lease shrinks while the first delete is in flight: the second waits.
        driver.lease = .milliseconds(700)
        let answered = try driver.answer()
        #expect(answered.calls.isEmpty)
        #expect(answered.events.contains(.writeFenced(remainingLease: .milliseconds(700))))
        driver.lease = .seconds(1)
        #expect(driver.leadershipChanged().writes.count == 1)
    }

    @Test func everyHostnameIsReconciledInTurn() throws {
        let names = ["api.example.com", "www.example.com"]
        var driver = try Self.converged(Self.settings(hostnames: names, batch: false), zone: Self.zone(names))
        _ = Self.ownDown([a], &driver)
        let first = driver.vote(from: "b", [a: .down])
        #expect(first.writes.map(\.request.name) == ["api.example.com"])
        #expect(try driver.answer().writes.map(\.request.name) == ["www.example.com"])
        #expect(try driver.answer().calls.isEmpty)
        for name in names { #expect(driver.zone.contents(of: name) == [b, c].sorted()) }
    }

    @Test func inputsBeforeStartAreIgnored() {
        var instance = FailoverInstance(settings: Self.settings())
        var rng = SeededGenerator(seed: 3)
        let now = Instant(nanoseconds: 5_000_000_000)
        let leadership = Fixtures.leader(now: now)
        #expect(instance.onCheckResult(CheckResult(success: false, time: now), check: "ping-\(a)", now: now,
                                       leadership: leadership, rng: &rng).isEmpty)
        #expect(instance.onVote(VoteMessage(bootEpoch: 1, round: 1, views: []), from: "b", now: now, leadership: leadership,
                                rng: &rng).isEmpty)
        #expect(instance.onWakeUp(now: now, leadership: leadership, rng: &rng).isEmpty)
        #expect(instance.onLeadership(leadership, now: now, rng: &rng).isEmpty)
        #expect(instance.onDNSResponse(.deleted, to: 1, now: now, leadership: leadership, rng: &rng).isEmpty)
    }

    @Test func aPeerViewExpiringArmsAWakeUpAndRevertsTheDecision() throws {
        var settings = Self.settings()
        settings.voteInterval = .seconds(600)
        var driver = FailoverDriver(settings: settings)
        driver.term = nil
        _ = driver.start()
        _ = Self.ownDown([a], &driver)
        let received = driver.now
        let output = driver.vote(from: "b", [a: .down])
        #expect(output.wakeUp == received + .seconds(30))
        #expect(driver.instance.verdicts[a] == .remove)
        let expired = driver.wake(at: received + .seconds(30))
        #expect(expired.events.contains(.decisionChanged(address: a, TallyDecision(verdict: .keep, down: ["a"], up: []))))
    }

    // MARK: - Dry run

    @Test func dryRunReportsWritesAndMakesNone() throws {
        var driver = try Self.converged(Self.settings(dryRun: true))
        #expect(driver.log.calls.map(\.request) == [.list(name: Fixtures.name)])
        let doomed = try record(a, in: driver.zone)
        _ = Self.ownDown([a], &driver)
        let output = driver.vote(from: "b", [a: .down])
        #expect(output.calls.isEmpty)
        #expect(output.events.contains(.wouldWrite(.delete(doomed), term: 3)))
        // Reported once, not on every later input.
        let later = driver.vote(from: "c", [a: .down])
        #expect(!later.events.contains { if case .wouldWrite = $0 { true } else { false } })
        #expect(driver.log.writes.isEmpty)
        #expect(driver.zone.contents() == Self.pool)
    }

    /// A dry run reports exactly the writes a real run makes (creates before deletes, no batch).
    @Test(arguments: [false, true])
    func dryRunReportsTheWritesARealRunMakes(batch: Bool) throws {
        func run(dryRun: Bool) throws -> (writes: [DNSRequest], zone: [String]) {
            var zone = FakeZone()
            zone.records = [Fixtures.record(zone.newID(), a), Fixtures.record(zone.newID(), c), Fixtures.record(zone.newID(), c)]
            // The duplicate of c is collapsed at takeover.
            var driver = FailoverDriver(settings: Self.settings(batch: batch, dryRun: dryRun), zone: zone)
            _ = driver.start()
            _ = try driver.settle()
            _ = driver.check("ping-\(b)", true, count: 2)
            _ = Self.ownDown([a], &driver)
            _ = driver.vote(from: "c", [a: .down, b: .up])
            _ = try driver.settle()
            let reported = driver.log.events.compactMap { if case .wouldWrite(let request, term: 3) = $0 { request } else { nil } }
            return (dryRun ? reported : driver.log.writes.map(\.request), driver.zone.contents())
        }
        let real = try run(dryRun: false), dry = try run(dryRun: true)
        // The duplicate's delete, then b's create and a's delete (one batch where supported).
        #expect(real.writes.count == (batch ? 2 : 3))
        #expect(dry.writes == real.writes)
        #expect(real.zone == [b, c].sorted())
        #expect(dry.zone == [a, c, c].sorted())
    }

    // MARK: - Failures

    @Test(arguments: [false, true])
    func aTimedOutWriteRelistsBeforeTheNextWriteAndBacksOff(landed: Bool) throws {
        var driver = try Self.converged()
        let doomed = try record(a, in: driver.zone)
        _ = Self.ownDown([a], &driver)
        let call = try #require(driver.vote(from: "b", [a: .down]).writes.first)
        if landed { _ = driver.zone.handle(call.request) }
        let failed = try driver.answer(.failed(.timedOut))
        let failedAt = driver.now
        #expect(failed.events.contains(.callFinished(call, .failed(.timedOut))))
        #expect(failed.calls.isEmpty)
        #expect(driver.instance.leaderState?.stale == [Fixtures.name])
        // Another input before the backoff ends makes no call.
        #expect(driver.vote(from: "c", [a: .down]).calls.isEmpty)
        let (retry, at) = try Self.runUntilCall(&driver)
        #expect(at > failedAt)
        #expect(at <= failedAt + .milliseconds(500))
        #expect(retry.calls.map(\.request) == [.list(name: Fixtures.name)])
        let after = try driver.answer()
        #expect(after.writes.map(\.request) == (landed ? [] : [.delete(doomed)]))
        _ = try driver.settle()
        #expect(driver.zone.contents() == [b, c].sorted())
    }

    @Test func repeatedFailuresBackOffFurther() throws {
        var driver = try Self.converged()
        _ = Self.ownDown([a], &driver)
        _ = driver.vote(from: "b", [a: .down])
        // The list after each failure fails too: the delay grows (full jitter up to 0.5 s × 2^(n−1)).
        var delays: [Duration] = []
        for _ in 0..<6 {
            _ = try driver.answer(.failed(.unavailable("502")))
            let failedAt = driver.now
            let (_, at) = try Self.runUntilCall(&driver)
            delays.append(at - failedAt)
        }
        for (n, delay) in delays.enumerated() { #expect(delay <= .milliseconds(500) * (1 << n) + .seconds(5)) }
        let early: Duration = delays.prefix(3).reduce(Duration.zero, +), late: Duration = delays.suffix(3).reduce(Duration.zero, +)
        #expect(late > early)
    }

    /// Each failed write is followed by a list that succeeds: the backoff still doubles per
    /// failed write (a successful list is no sign the provider takes writes again).
    @Test func aWriteThatKeepsFailingBacksOffThoughListsSucceed() throws {
        var driver = try Self.converged(Self.settings(voteTTL: .seconds(3_600)))
        _ = Self.ownDown([a], &driver)
        #expect(driver.vote(from: "b", [a: .down]).writes.count == 1)
        var delays: [Duration] = []
        for _ in 0..<8 {
            _ = try driver.answer(.failed(.unavailable("503")))
            let failedAt = driver.now
            let (retry, at) = try Self.runUntilCall(&driver, limit: 200)
            delays.append(at - failedAt)
            #expect(retry.calls.map(\.request) == [.list(name: Fixtures.name)])
            #expect(try driver.answer().writes.count == 1)
        }
        for (n, delay) in delays.enumerated() { #expect(delay <= min(.milliseconds(500) * (1 << n), .seconds(30))) }
        #expect(delays.suffix(4).contains { $0 > .seconds(1) }, "\(delays)")
    }

    /// A request the provider rejects (a 4xx other than 401/403/429) is not retried at once; the
    /// next reconcile lists and plans again.
    @Test func aRejectedWriteWaitsForTheNextReconcile() throws {
        var driver = try Self.converged(Self.settings(voteTTL: .seconds(3_600)))
        _ = Self.ownDown([a], &driver)
        _ = driver.vote(from: "b", [a: .down])
        let rejected = try driver.answer(.failed(.rejected("400: invalid record")))
        let failedAt = driver.now
        #expect(rejected.calls.isEmpty)
        let (retry, at) = try Self.runUntilCall(&driver)
        #expect(at >= failedAt + .seconds(30) - .seconds(1), "retried after \(at - failedAt)")
        #expect(retry.calls.map(\.request) == [.list(name: Fixtures.name)])
        #expect(try driver.answer().writes.count == 1)
        #expect(driver.log.events.allSatisfy { if case .writesSuspended = $0 { false } else { true } })
    }

    @Test func rateLimitingWaitsAtLeastRetryAfter() throws {
        var driver = try Self.converged()
        _ = Self.ownDown([a], &driver)
        _ = driver.vote(from: "b", [a: .down])
        #expect(try driver.answer(.failed(.rateLimited(retryAfter: .seconds(10)))).calls.isEmpty)
        let failedAt = driver.now
        #expect(driver.wake(at: failedAt + .seconds(10) - .nanoseconds(1)).calls.isEmpty)
        let (retry, at) = try Self.runUntilCall(&driver)
        #expect(at >= failedAt + .seconds(10))
        #expect(retry.calls.map(\.request) == [.list(name: Fixtures.name)])
        #expect(try driver.answer().writes.map(\.request) == [.delete(try record(a, in: driver.zone))])
    }

    @Test func refusedCredentialsSuspendWritesUntilALaterSuccess() throws {
        var driver = try Self.converged(Self.settings(voteTTL: .seconds(300)))
        _ = Self.ownDown([a], &driver)
        _ = driver.vote(from: "b", [a: .down])
        let refused = try driver.answer(.failed(.unauthorized("token revoked")))
        let failedAt = driver.now
        #expect(refused.events.contains(.writesSuspended(reason: "token revoked")))
        #expect(refused.calls.isEmpty)
        #expect(driver.vote(from: "c", [a: .down]).calls.isEmpty)
        // Monitoring goes on; the provider is asked again only after a reconcile interval.
        let (retry, at) = try Self.runUntilCall(&driver)
        #expect(at >= failedAt + .seconds(30))
        #expect(retry.calls.map(\.request) == [.list(name: Fixtures.name)])
        // Refused again while suspended: the same episode, no second event.
        let stillRefused = try driver.answer(.failed(.unauthorized("token revoked")))
        #expect(!stillRefused.events.contains { if case .writesSuspended = $0 { true } else { false } })
        let (again, _) = try Self.runUntilCall(&driver)
        #expect(again.calls.map(\.request) == [.list(name: Fixtures.name)])
        // A list that succeeds says nothing about writing: the suspension holds until a write succeeds.
        let listed = try driver.answer()
        #expect(!listed.events.contains(.writesResumed))
        #expect(listed.writes.map(\.request) == [.delete(try record(a, in: driver.zone))])
        #expect(try driver.answer().events.contains(.writesResumed))
        _ = try driver.settle()
        #expect(driver.zone.contents() == [b, c].sorted())
        #expect(driver.log.events.filter { if case .writesSuspended = $0 { true } else { false } }.count == 1)
        #expect(driver.log.events.filter { $0 == .writesResumed }.count == 1)
    }

    /// A token that may read but not edit: lists keep succeeding, every write is refused; that is
    /// one suspension (one alert), with one write tried per reconcile interval, not a flapping one.
    @Test func aReadOnlyTokenIsOneSuspensionWithOneWriteTryPerInterval() throws {
        var driver = try Self.converged(Self.settings(voteTTL: .seconds(3_600)))
        _ = Self.ownDown([a], &driver)
        _ = driver.vote(from: "b", [a: .down])
        _ = try driver.answer(.failed(.unauthorized("token may not edit")))
        var writeTries: [Instant] = []
        for _ in 0..<3 {
            let (retry, _) = try Self.runUntilCall(&driver, limit: 400)
            #expect(retry.calls.map(\.request) == [.list(name: Fixtures.name)])
            let listed = try driver.answer()
            if !listed.writes.isEmpty {
                writeTries.append(driver.now)
                _ = try driver.answer(.failed(.unauthorized("token may not edit")))
            }
        }
        #expect(driver.log.events.filter { if case .writesSuspended = $0 { true } else { false } }.count == 1)
        #expect(!driver.log.events.contains(.writesResumed))
        #expect(writeTries.count == 3, "one write try per reconcile interval: \(writeTries)")
        for (earlier, later) in zip(writeTries, writeTries.dropFirst()) { #expect(later - earlier >= .seconds(30)) }
    }

    @Test func aResponseToACallNotInFlightIsIgnored() throws {
        var driver = FailoverDriver(settings: Self.settings(), zone: Self.zone())
        let call = try #require(driver.start().calls.first)
        let leadership = driver.leadership
        #expect(driver.instance.onDNSResponse(.listed([]), to: call.id + 7, now: driver.now, leadership: leadership,
                                              rng: &driver.rng).isEmpty)
        #expect(driver.instance.leaderState?.inFlight == call)
        _ = try driver.answer()
        // A late duplicate of an answered call.
        #expect(driver.instance.onDNSResponse(.listed([]), to: call.id, now: driver.now, leadership: leadership,
                                              rng: &driver.rng).isEmpty)
        #expect(driver.instance.leaderState?.records[Fixtures.name]?.count == 3)
    }

    @Test func anAnswerFromAnEarlierTermIsIgnored() throws {
        var instance = FailoverInstance(settings: Self.settings())
        var rng = SeededGenerator(seed: 1)
        let now = Instant(nanoseconds: 1_000_000_000)
        let old = try #require(instance.onStart(now: now, bootEpoch: 1, leadership: Fixtures.leader(term: 3, now: now)).calls.first)
        let newer = try #require(instance.onLeadership(Fixtures.leader(term: 4, now: now), now: now, rng: &rng).calls.first)
        #expect(newer.id != old.id)
        #expect(instance.onDNSResponse(.listed([]), to: old.id, now: now, leadership: Fixtures.leader(term: 4, now: now),
                                       rng: &rng).isEmpty)
        #expect(instance.leaderState?.inFlight == newer)
    }

    @Test func anAnswerThatDoesNotFitItsCallMarksTheNameStale() throws {
        var driver = try Self.converged()
        _ = Self.ownDown([a], &driver)
        _ = driver.vote(from: "b", [a: .down])
        let output = try driver.answer(.listed([]))
        #expect(output.calls.map(\.request) == [.list(name: Fixtures.name)])
    }

    // MARK: - Never empty

    @Test func allDownKeepsTheRecordsAndAlertsOncePerEpisode() throws {
        var driver = try Self.converged()
        func allDowns() -> [FailoverEvent] {
            driver.log.events.filter { if case .allDown = $0 { true } else { false } }
        }
        _ = Self.ownDown(Self.pool, &driver)
        let output = driver.vote(from: "b", [a: .down, b: .down, c: .down])
        #expect(output.calls.isEmpty)
        #expect(output.events.contains(.allDown(name: Fixtures.name, kept: Self.pool)))
        _ = driver.vote(from: "c", [a: .down, b: .down, c: .down])
        _ = driver.wake(at: driver.now + .seconds(1))
        #expect(allDowns().count == 1)
        #expect(driver.log.writes.isEmpty)
        #expect(driver.zone.contents() == Self.pool)

        // a comes back by quorum: the episode ends and the others can go.
        _ = driver.check("ping-\(a)", true, count: 2)
        let back = driver.vote(from: "b", [a: .up], round: 2)
        #expect(back.events.contains(.allDownCleared(name: Fixtures.name)))
        _ = try driver.settle()
        #expect(driver.zone.contents() == [a])

        // a fails again (c's down view is still fresh, so the own view makes the quorum): a new
        // episode, one more alert, and the last record stays.
        let again = Self.ownDown([a], &driver) + driver.vote(from: "b", [a: .down], round: 3)
        #expect(again.calls.isEmpty)
        #expect(again.events.contains(.allDown(name: Fixtures.name, kept: [a])))
        _ = driver.wake(at: driver.now + .seconds(1))
        #expect(allDowns().count == 2)
        #expect(driver.zone.contents() == [a])
    }

    // MARK: - Periodic reconcile

    @Test func theReconcileIntervalRelistsAndRepairsDrift() throws {
        var driver = try Self.converged(Self.settings(voteTTL: .seconds(300)))
        _ = driver.check("ping-\(b)", true, count: 2)
        _ = driver.vote(from: "b", [b: .up])
        #expect(driver.instance.verdicts[b] == .restore)
        // Someone deletes b by hand and adds a duplicate of c.
        driver.zone.records.removeAll { $0.content == b }
        driver.zone.records.append(Fixtures.record("zz-dup", c))
        #expect(driver.log.calls.count == 1)
        let (relist, at) = try Self.runUntilCall(&driver)
        #expect(relist.calls.map(\.request) == [.list(name: Fixtures.name)])
        #expect(at <= Instant(nanoseconds: 1_000_000_000_000) + .seconds(30))
        _ = try driver.settle()
        #expect(driver.zone.contents() == [a, b, c].sorted())
        #expect(!driver.zone.records.contains { $0.id == "zz-dup" })
    }
}
