import Failover
import Raft
import SansIO
import Testing

@Suite struct WritePermitTests {
    let now = Instant(nanoseconds: 10_000_000_000)
    let expiry = Instant(nanoseconds: 11_000_000_000)

    func leadership(_ role: Role, leader: String? = "fra", expiry: Instant?, valid: Bool) -> Leadership {
        Leadership(role: role, term: 7, leader: leader, leaseExpiry: expiry, isLeaseValid: valid)
    }

    @Test func leaderWithAValidLeaseMayWrite() throws {
        let permit = try #require(WritePermit(leadership(.leader, expiry: expiry, valid: true), node: "fra", now: now))
        #expect(permit.term == 7)
        #expect(permit.remaining(at: now) == .seconds(1))
        #expect(permit.auditComment == "vantage: term 7 node fra")
    }

    @Test func nobodyElseMayWrite() {
        #expect(WritePermit(leadership(.follower, expiry: nil, valid: false), node: "fra", now: now) == nil)
        #expect(WritePermit(leadership(.candidate, leader: nil, expiry: nil, valid: false), node: "fra", now: now) == nil)
        // A leader before its first majority-acknowledged round has no lease yet.
        #expect(WritePermit(leadership(.leader, expiry: nil, valid: false), node: "fra", now: now) == nil)
        // The lease ends at its expiry, exactly.
        #expect(WritePermit(leadership(.leader, expiry: expiry, valid: true), node: "fra", now: expiry) == nil)
        // A leadership answer about another node is no permit for this one.
        #expect(WritePermit(leadership(.leader, leader: "sin", expiry: expiry, valid: true), node: "fra", now: now) == nil)
    }
}
