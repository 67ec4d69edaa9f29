import Raft
import SansIO
import Testing
@testable import Simulator
import Wire

/// Each election invariant fed exactly the violation it must name, by a fake election on three
/// nodes with exact clocks: a script of observations, disk writes and lease claims, each step
/// followed by one event. Every test first plays the lawful part of its script and checks it
/// passes, so a check that fires on anything is caught too.
@Suite struct ElectionInvariantTests {
    let lease = ElectionSettings().lease

    /// A node whose "election" says and does only what the test script tells it.
    struct ScriptedElection: NodeComponent {
        let kind = MessageKind.election
        var claim: Leadership?
        mutating func start(_ io: inout ComponentIO) {}
        mutating func receive(_ body: [UInt8], from sender: String, _ io: inout ComponentIO) throws(DecodeError) {}
        mutating func wakeUp(_ io: inout ComponentIO) {}
        func leadership(now: Instant) -> Leadership? {
            guard var claim else { return nil }
            claim.isLeaseValid = claim.role == .leader && claim.leaseExpiry.map { now < $0 } == true
            return claim
        }
    }

    final class Bench {
        let simulation: Simulation

        init() {
            let configuration = SimulationConfiguration(nodeCount: 3, maxClockSkew: .zero, maxDriftPartsPerBillion: 0,
                                                        startSpread: .zero)
            simulation = Simulation(seed: 1, configuration: configuration) { _ in
                ComponentHost(components: [ScriptedElection()])
            }
            simulation.add(ElectionInvariants())
            simulation.run(until: .zero + .milliseconds(1))
        }

        var now: Instant { simulation.now }

        /// Runs `body` inside node `node`'s scripted election, then one event; returns the violation.
        @discardableResult
        func step(_ node: Int, _ body: (inout ScriptedElection, inout ComponentIO) -> Void) -> Violation? {
            simulation.perform(on: node) { process, io in
                var host = process as! ComponentHost
                host.withComponent(ScriptedElection.self, &io, body)
                process = host
            }
            simulation.schedule(.heal, at: simulation.now)
            return simulation.run(for: .milliseconds(1))
        }

        @discardableResult
        func persist(_ node: Int, term: UInt64, vote: Int?) -> Violation? {
            step(node) { _, io in
                DiskTermStore.save(PersistentState(currentTerm: term, votedFor: vote.map { "node-\($0)" }), to: io.disk)
            }
        }

        @discardableResult
        func send(_ node: Int, _ message: ElectionMessage, to recipient: Int) -> Violation? {
            step(node) { _, io in io.emit(ElectionMessageSent(message: message, to: "node-\(recipient)")) }
        }

        @discardableResult
        func emit(_ node: Int, _ event: ElectionEvent) -> Violation? {
            step(node) { _, io in io.emit(event) }
        }

        /// Node `node` leads `term` with a lease running until `expiry` (local = true time here).
        @discardableResult
        func claimLease(_ node: Int, term: UInt64, until expiry: Instant) -> Violation? {
            step(node) { election, _ in
                election.claim = Leadership(role: .leader, term: term, leader: "node-\(node)", leaseExpiry: expiry,
                                            isLeaseValid: true)
            }
        }

        /// Node `leader` sends round 1 of `term`, persisted, and node `follower` acknowledges it;
        /// returns the round's send time.
        func roundAcknowledged(leader: Int, follower: Int, term: UInt64) -> Instant {
            persist(leader, term: term, vote: leader)
            persist(follower, term: term, vote: leader)
            let sent = now
            send(leader, .heartbeat(term: term, round: 1), to: follower)
            send(follower, .heartbeatAck(term: term, round: 1, accepted: true), to: leader)
            return sent
        }
    }

    @Test func twoLeadersInOneTermAreNamed() throws {
        let bench = Bench()
        #expect(bench.emit(0, .becameLeader(term: 1)) == nil)
        #expect(bench.emit(1, .becameLeader(term: 2)) == nil)
        let violation = try #require(bench.emit(2, .becameLeader(term: 1)))
        #expect(violation.message == "node-0 and node-2 both became leader in term 1")
    }

    @Test func overlappingLeasesAreNamed() throws {
        let bench = Bench()
        let first = bench.roundAcknowledged(leader: 0, follower: 1, term: 1)
        #expect(bench.claimLease(0, term: 1, until: first + lease) == nil)
        let second = bench.roundAcknowledged(leader: 2, follower: 1, term: 2)
        #expect(bench.simulation.violation == nil)
        let violation = try #require(bench.claimLease(2, term: 2, until: second + lease))
        #expect(violation.message.hasPrefix("node-2 holds a valid lease (term 2) while node-0's lease runs until"))
    }

    @Test func aLeaseAfterTheOldOneEndedIsLawful() {
        let bench = Bench()
        let first = bench.roundAcknowledged(leader: 0, follower: 1, term: 1)
        bench.claimLease(0, term: 1, until: first + lease)
        bench.simulation.run(until: first + lease)
        let second = bench.roundAcknowledged(leader: 2, follower: 1, term: 2)
        #expect(bench.claimLease(2, term: 2, until: second + lease) == nil)
    }

    @Test func aLeaseStartingAfterItsRoundIsNamed() throws {
        let bench = Bench()
        let sent = bench.roundAcknowledged(leader: 0, follower: 1, term: 1)
        // As if counted from the acknowledgement's arrival, 3 ms after the round went out.
        let violation = try #require(bench.claimLease(0, term: 1, until: sent + .milliseconds(3) + lease))
        #expect(violation.message.hasPrefix("node-0 claims a lease (term 1) from"))
        #expect(violation.message.contains("round 1, sent at"))
    }

    @Test func aLeaseWithoutAMajorityRoundIsNamed() throws {
        let bench = Bench()
        bench.persist(0, term: 1, vote: 0)
        let sent = bench.now
        #expect(bench.send(0, .heartbeat(term: 1, round: 1), to: 1) == nil)
        let violation = try #require(bench.claimLease(0, term: 1, until: sent + lease))
        #expect(violation.message.hasSuffix("no round a majority received"))
    }

    @Test func aDurableTermGoingBackIsNamed() throws {
        let bench = Bench()
        #expect(bench.persist(0, term: 3, vote: nil) == nil)
        #expect(bench.persist(0, term: 4, vote: 1) == nil)
        let violation = try #require(bench.persist(0, term: 2, vote: nil))
        #expect(violation.message == "node-0's durable term went back from 4 to 2")
    }

    @Test func aChangedVoteOnDiskIsNamed() throws {
        let bench = Bench()
        #expect(bench.persist(0, term: 4, vote: nil) == nil)
        #expect(bench.persist(0, term: 4, vote: 1) == nil)  // nil → a vote is how a vote is cast
        let violation = try #require(bench.persist(0, term: 4, vote: 2))
        #expect(violation.message == "node-0's disk voted for node-1 and then node-2 in term 4")
    }

    @Test func aSecondVoteInATermOnTheWireIsNamed() throws {
        let bench = Bench()
        bench.persist(0, term: 4, vote: 1)
        #expect(bench.send(0, .voteResponse(term: 4, granted: true), to: 1) == nil)
        #expect(bench.send(0, .voteResponse(term: 4, granted: true), to: 1) == nil)  // the same vote again
        bench.persist(0, term: 5, vote: nil)
        #expect(bench.send(0, .voteResponse(term: 4, granted: false), to: 2) == nil)
        let violation = try #require(bench.send(0, .voteResponse(term: 4, granted: true), to: 2))
        #expect(violation.message == "node-0 voted for node-1 and then for node-2 in term 4")
    }

    @Test func aReplySentAheadOfTheDiskIsNamed() throws {
        let bench = Bench()
        bench.persist(1, term: 2, vote: nil)
        #expect(bench.send(1, .heartbeatAck(term: 2, round: 1, accepted: true), to: 0) == nil)
        let violation = try #require(bench.send(1, .voteResponse(term: 2, granted: true), to: 2))
        #expect(violation.message.hasPrefix("node-1 sent voteResponse"))
        #expect(violation.message.hasSuffix("while its disk holds term 2, vote none: it went out before the write was durable"))
    }
}
