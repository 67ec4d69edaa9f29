import Failover
import SansIO
import Testing

@Suite struct ReconcilePlanTests {
    let target = DNSTarget(hostnames: [Fixtures.name], pool: Fixtures.pool, proxied: true, ttl: 300)
    let a = Fixtures.pool[0], b = Fixtures.pool[1], c = Fixtures.pool[2]
    let comment = "vantage: term 4 node a"

    func plan(_ current: [DNSRecord], desired: Set<String>) -> ReconcilePlan {
        let restore = Dictionary(uniqueKeysWithValues: Fixtures.pool.map { ($0, desired.contains($0) ? TallyDecision.Verdict.restore : .remove) })
        let wanted = DesiredRecords(name: Fixtures.name, target: target, decisions: restore, current: current, policy: .allowEmpty)
        #expect(wanted.addresses == desired)
        return ReconcilePlan.planReconcile(name: Fixtures.name, current: current, desired: wanted, target: target, comment: comment)
    }

    @Test func createsMissingWithSettingsAndAuditComment() {
        let result = plan([Fixtures.record("r1", a)], desired: [a, b, c])
        #expect(result.deletes.isEmpty)
        #expect(result.creates == [
            RecordSpec(name: Fixtures.name, type: .a, content: b, proxied: true, ttl: 300, comment: comment),
            RecordSpec(name: Fixtures.name, type: .aaaa, content: c, proxied: true, ttl: 300, comment: comment),
        ])
    }

    @Test func deletesUndesiredManagedRecords() {
        let current = [Fixtures.record("r1", a), Fixtures.record("r2", b), Fixtures.record("r3", c)]
        let result = plan(current, desired: [b])
        #expect(result.creates.isEmpty)
        #expect(Set(result.deletes) == [current[0], current[2]])
    }

    @Test func collapsesDuplicatesKeepingTheLowestID() {
        let current = [Fixtures.record("r7", a), Fixtures.record("r2", a), Fixtures.record("r5", a),
                       Fixtures.record("r9", b), Fixtures.record("r8", b)]
        let result = plan(current, desired: [a])
        #expect(result.creates.isEmpty)
        // `a` keeps r2; `b` is undesired, so both of its copies go.
        #expect(Set(result.deletes.map(\.id)) == ["r5", "r7", "r8", "r9"])
        #expect(result.changeCount == 4)
    }

    @Test func duplicatesDifferingOnlyInCaseAreOneAddress() {
        let current = [Fixtures.record("r1", c), DNSRecord(id: "r2", name: Fixtures.name, type: .aaaa, content: "2001:DB8::1",
                                                            proxied: false, ttl: 60)]
        let result = plan(current, desired: [c])
        #expect(result.creates.isEmpty)
        #expect(result.deletes.map(\.id) == ["r2"])
    }

    @Test func neverTouchesAddressesOutsideThePool() {
        let current = [Fixtures.record("r1", Fixtures.unmanaged), Fixtures.record("r2", Fixtures.unmanaged),
                       Fixtures.record("r3", a)]
        let result = plan(current, desired: [])
        #expect(result.creates.isEmpty)
        #expect(result.deletes.map(\.id) == ["r3"])
        #expect(plan([Fixtures.record("r1", Fixtures.unmanaged)], desired: [b]).deletes.isEmpty)
    }

    @Test func aConvergedNameNeedsNothing() {
        let result = plan([Fixtures.record("r1", a), Fixtures.record("r2", c), Fixtures.record("r3", Fixtures.unmanaged)],
                          desired: [a, c])
        #expect(result.isEmpty)
        #expect(result.nextRequest(supportsBatch: true) == nil)
        #expect(result.nextRequest(supportsBatch: false) == nil)
    }

    @Test func nextRequestBatchesOnlyMultiChangePlansWhereSupported() throws {
        let spec = RecordSpec(name: Fixtures.name, type: .a, content: b, proxied: true, ttl: 300, comment: comment)
        let old = Fixtures.record("r1", a)
        let both = ReconcilePlan(name: Fixtures.name, creates: [spec], deletes: [old])
        #expect(both.nextRequest(supportsBatch: true) == .batch(creates: [spec], deletes: [old]))
        // Without batches: creates before deletes, so the name never passes through empty.
        #expect(both.nextRequest(supportsBatch: false) == .create(spec))
        #expect(ReconcilePlan(name: Fixtures.name, creates: [], deletes: [old]).nextRequest(supportsBatch: false) == .delete(old))
        // One change is one single call, batches or not.
        for supportsBatch in [false, true] {
            #expect(ReconcilePlan(name: Fixtures.name, creates: [spec], deletes: []).nextRequest(supportsBatch: supportsBatch) == .create(spec))
            #expect(ReconcilePlan(name: Fixtures.name, creates: [], deletes: [old]).nextRequest(supportsBatch: supportsBatch) == .delete(old))
        }
    }

    @Test func requestsNameTheirHostnameAndOnlyListsAreReads() {
        let spec = RecordSpec(name: Fixtures.name, type: .a, content: b, proxied: false, ttl: 60)
        let requests: [DNSRequest] = [.list(name: Fixtures.name), .create(spec), .delete(Fixtures.record("r1", a)),
                                      .batch(creates: [], deletes: [Fixtures.record("r1", a)]), .batch(creates: [spec], deletes: [])]
        #expect(requests.map(\.name) == Array(repeating: Fixtures.name, count: 5))
        #expect(requests.map(\.isWrite) == [false, true, true, true, true])
    }

    /// From random provider states (duplicates, unmanaged records, stray case) and random verdicts:
    /// carrying the plan out one call at a time in `nextRequest`'s order and planning again after
    /// each call (as a leader does after each answer, or a new leader after a half-applied plan)
    /// ends at exactly the desired set, in no more calls than the first plan had changes, never
    /// touches an unmanaged record and never leaves the name empty on the way.
    @Test func replanningAfterEachCallFinishesTheJob() {
        var rng = SeededGenerator(seed: 0x5EED)
        let plain = DNSTarget(hostnames: [Fixtures.name], pool: Fixtures.pool)
        for iteration in 0..<2_000 {
            var zone = FakeZone()
            for address in Fixtures.pool + [Fixtures.unmanaged] {
                for _ in 0..<[0, 0, 1, 1, 2, 3][Int.random(in: 0..<6, using: &rng)] {
                    let text = Bool.random(using: &rng) ? address.uppercased() : address
                    zone.records.append(DNSRecord(id: zone.newID(), name: Fixtures.name, type: RecordType(address: text),
                                                  content: text, proxied: false, ttl: 60))
                }
            }
            zone.records.shuffle(using: &rng)
            let verdicts: [TallyDecision.Verdict] = [.keep, .remove, .restore]
            let decisions = Dictionary(uniqueKeysWithValues: Fixtures.pool.map { ($0, verdicts[Int.random(in: 0..<3, using: &rng)]) })
            let supportsBatch = Bool.random(using: &rng)
            let unmanagedBefore = zone.records.filter { !plain.manages($0.content) }
            let wasEmpty = zone.records.isEmpty
            let goal = DesiredRecords(name: Fixtures.name, target: plain, decisions: decisions, current: zone.records)
            let budget = ReconcilePlan.planReconcile(name: Fixtures.name, current: zone.records, desired: goal,
                                                     target: plain, comment: comment).changeCount
            var calls = 0, changes = 0
            while true {
                let desired = DesiredRecords(name: Fixtures.name, target: plain, decisions: decisions, current: zone.records)
                #expect(desired.addresses == goal.addresses, "iteration \(iteration)")
                let plan = ReconcilePlan.planReconcile(name: Fixtures.name, current: zone.records, desired: desired,
                                                       target: plain, comment: comment)
                guard let request = plan.nextRequest(supportsBatch: supportsBatch), calls < 20 else { break }
                if case .batch(let creates, let deletes) = request { changes += creates.count + deletes.count } else { changes += 1 }
                calls += 1
                _ = zone.handle(request)
                if !wasEmpty { #expect(!zone.records.isEmpty, "iteration \(iteration): \(request) emptied the name") }
            }
            let managed = zone.records.filter { plain.manages($0.content) }.map { $0.content.lowercased() }
            #expect(managed.sorted() == goal.addresses.sorted(), "iteration \(iteration)")
            #expect(zone.records.filter { !plain.manages($0.content) } == unmanagedBefore, "iteration \(iteration)")
            #expect(changes == budget, "iteration \(iteration)")
            if supportsBatch { #expect(calls <= 1, "iteration \(iteration)") } else { #expect(calls == budget, "iteration \(iteration)") }
        }
    }
}
