import Failover
import Testing

@Suite struct DesiredRecordsTests {
    let target = DNSTarget(hostnames: [Fixtures.name], pool: Fixtures.pool)
    let a = Fixtures.pool[0], b = Fixtures.pool[1], c = Fixtures.pool[2]

    func desired(_ decisions: [String: TallyDecision.Verdict], current: [String],
                 policy: DesiredRecords.EmptyNamePolicy = .failOpen) -> DesiredRecords {
        DesiredRecords(name: Fixtures.name, target: target, decisions: decisions,
                       current: current.enumerated().map { Fixtures.record("r\($0.offset)", $0.element) }, policy: policy)
    }

    @Test func restoreAdds() {
        let result = desired([a: .restore, c: .restore], current: [])
        #expect(result.addresses == [a, c])
        #expect(!result.isAllDown)
    }

    @Test func removeDrops() {
        let result = desired([a: .remove], current: [a, b])
        #expect(result.addresses == [b])
        #expect(!result.isAllDown)
    }

    @Test func keepKeepsOnlyWhatIsPresent() {
        // No quorum either way: a present address stays, an absent one is not added (cold start).
        #expect(desired([:], current: [a]).addresses == [a])
        #expect(desired([a: .keep, b: .keep], current: [a]).addresses == [a])
        #expect(desired([:], current: []).addresses.isEmpty)
        #expect(!desired([:], current: []).isAllDown)
    }

    @Test func decisionsOutsideThePoolAreIgnored() {
        #expect(desired([Fixtures.unmanaged: .restore, a: .restore], current: []).addresses == [a])
    }

    @Test func allDownKeepsTheCurrentManagedRecords() {
        let result = desired([a: .remove, b: .remove, c: .remove], current: [a, b])
        #expect(result.addresses == [a, b])
        #expect(result.isAllDown)
        // A partly known pool: everything present is down, the rest undecided and absent.
        let partly = desired([a: .remove], current: [a])
        #expect(partly.addresses == [a])
        #expect(partly.isAllDown)
    }

    @Test func unmanagedRecordsMeanNoFailOpenIsNeeded() {
        let result = desired([a: .remove, b: .remove, c: .remove], current: [a, Fixtures.unmanaged])
        #expect(result.addresses.isEmpty)
        #expect(!result.isAllDown)
    }

    @Test func allowEmptyLetsTheNameEmpty() {
        let result = desired([a: .remove, b: .remove, c: .remove], current: [a, b], policy: .allowEmpty)
        #expect(result.addresses.isEmpty)
        #expect(!result.isAllDown)
    }

    @Test func providerTextIsComparedCaseInsensitively() {
        let upper = DNSRecord(id: "r1", name: Fixtures.name, type: .aaaa, content: "2001:DB8::1", proxied: false, ttl: 60)
        let kept = DesiredRecords(name: Fixtures.name, target: target, decisions: [:], current: [upper])
        #expect(kept.addresses == [c])
        let allDown = DesiredRecords(name: Fixtures.name, target: target, decisions: [c: .remove], current: [upper])
        #expect(allDown.isAllDown)
        #expect(allDown.addresses == [c])
    }
}
