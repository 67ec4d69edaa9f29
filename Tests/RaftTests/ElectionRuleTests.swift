import Raft
import SansIO
import Testing

/// One test per election rule, driving a single instance by hand.
@Suite struct ElectionRuleTests {
    let lease = ElectionSettings().lease

    // MARK: Timeouts

    /// Thesis §3.4: the election timeout is drawn from [min, max] with the injected generator.
    @Test func electionTimeoutIsRandomizedWithinBounds() throws {
        var deadlines = Set<Instant>()
        for seed in UInt64(0)..<200 {
            var driver = try ElectionDriver()
            driver.rng = SeededGenerator(seed: seed)
            let deadline = try #require(driver.start(at: 10).wakeUp)
            #expect(deadline >= at(11.5) && deadline <= at(13))
            deadlines.insert(deadline)
        }
        #expect(deadlines.count > 190)
    }

    @Test func wakingBeforeTheDeadlineDoesNothing() throws {
        var driver = try ElectionDriver()
        let deadline = try #require(driver.start(at: 0).wakeUp)
        let early = driver.wake(at: deadline - .nanoseconds(1))
        #expect(early.sent.isEmpty)
        #expect(early.wakeUp == deadline)
    }

    // MARK: PreVote

    /// Thesis §9.6: a timed-out follower asks for pre-votes for term + 1 without raising its term.
    @Test func timeoutStartsPreVoteWithoutRaisingTheTerm() throws {
        var driver = try ElectionDriver()
        let deadline = try #require(driver.start(at: 0).wakeUp)
        let output = driver.wake(at: deadline)
        #expect(output.sent(to: "b") == [.preVoteRequest(term: 1)])
        #expect(output.sent(to: "c") == [.preVoteRequest(term: 1)])
        #expect(driver.leadership(at: deadline).role == .preCandidate)
        #expect(driver.election.persistent == .initial)
        #expect(driver.store.saveCount == 0)
    }

    /// Boot counts as leader contact: pre-votes are refused for exactly electionTimeoutMin after start.
    @Test func preVoteRefusedRightAfterBoot() throws {
        var driver = try ElectionDriver()
        _ = driver.start(at: 5)
        #expect(driver.receive(.preVoteRequest(term: 1), from: "b", at: at(6.5) - .nanoseconds(1)).sent(to: "b")
            == [.preVoteResponse(term: 0, granted: false)])
        #expect(driver.receive(.preVoteRequest(term: 1), from: "b", at: 6.5).sent(to: "b")
            == [.preVoteResponse(term: 1, granted: true)])
    }

    /// §6.4.1: a follower that heard from a live leader within electionTimeoutMin refuses pre-votes.
    @Test func preVoteRefusedWhileLeaderIsLive() throws {
        var driver = try ElectionDriver()
        _ = driver.start(at: 0)
        _ = driver.receive(.heartbeat(term: 3, round: 1), from: "b", at: 2)
        #expect(driver.receive(.preVoteRequest(term: 4), from: "c", at: 3.4).sent(to: "c")
            == [.preVoteResponse(term: 3, granted: false)])
        #expect(driver.receive(.preVoteRequest(term: 4), from: "c", at: 3.5).sent(to: "c")
            == [.preVoteResponse(term: 4, granted: true)])
        #expect(driver.election.persistent.currentTerm == 3)  // granting a pre-vote changes nothing
    }

    @Test func preVoteRefusedForATermNotAboveMine() throws {
        var driver = try ElectionDriver(store: MemoryTermStore(PersistentState(currentTerm: 5, votedFor: nil)))
        _ = driver.start(at: 0)
        #expect(driver.receive(.preVoteRequest(term: 5), from: "b", at: 10).sent(to: "b")
            == [.preVoteResponse(term: 5, granted: false)])
    }

    /// A pre-vote quorum leads to a real campaign: the (term, self-vote) is saved before requests go out.
    @Test func preVoteQuorumStartsCampaign() throws {
        var driver = try ElectionDriver()
        let deadline = try #require(driver.start(at: 0).wakeUp)
        _ = driver.wake(at: deadline)
        let output = driver.receive(.preVoteResponse(term: 1, granted: true), from: "c", at: deadline)
        #expect(driver.store.saved == PersistentState(currentTerm: 1, votedFor: "a"))
        #expect(output.sent(to: "b") == [.voteRequest(term: 1, isTransfer: false)])
        #expect(output.events.contains(.campaignStarted(term: 1, isTransfer: false)))
        #expect(driver.leadership(at: deadline).role == .candidate)
    }

    /// Colliding pre-candidates: the one with the higher name grants and yields (it becomes a follower,
    /// so its real vote goes to the other); the lower name grants and keeps campaigning.
    @Test func preCandidateYieldsOnlyToALowerName() throws {
        var higher = try ElectionDriver(myself: "b")
        let deadline = try #require(higher.start(at: 0).wakeUp)
        _ = higher.wake(at: deadline)
        #expect(higher.receive(.preVoteRequest(term: 1), from: "a", at: deadline).sent(to: "a")
            == [.preVoteResponse(term: 1, granted: true)])
        #expect(higher.leadership(at: deadline).role == .follower)
        // A late grant for the abandoned pre-vote starts nothing; a's vote request is granted.
        #expect(higher.receive(.preVoteResponse(term: 1, granted: true), from: "c", at: deadline).sent.isEmpty)
        #expect(higher.receive(.voteRequest(term: 1, isTransfer: false), from: "a", at: deadline).sent(to: "a")
            == [.voteResponse(term: 1, granted: true)])

        var lower = try ElectionDriver(myself: "a")
        let lowerDeadline = try #require(lower.start(at: 0).wakeUp)
        _ = lower.wake(at: lowerDeadline)
        #expect(lower.receive(.preVoteRequest(term: 1), from: "b", at: lowerDeadline).sent(to: "b")
            == [.preVoteResponse(term: 1, granted: true)])
        #expect(lower.leadership(at: lowerDeadline).role == .preCandidate)
        _ = lower.receive(.preVoteResponse(term: 1, granted: true), from: "b", at: lowerDeadline)
        #expect(lower.leadership(at: lowerDeadline).role == .candidate)
    }

    @Test func preVoteRefusalWithHigherTermMakesAFollowerOfThatTerm() throws {
        var driver = try ElectionDriver()
        let deadline = try #require(driver.start(at: 0).wakeUp)
        _ = driver.wake(at: deadline)
        _ = driver.receive(.preVoteResponse(term: 7, granted: false), from: "b", at: deadline)
        #expect(driver.leadership(at: deadline).role == .follower)
        #expect(driver.store.saved == PersistentState(currentTerm: 7, votedFor: nil))
    }

    @Test func withoutPreVoteTimeoutCampaignsDirectly() throws {
        var settings = ElectionSettings()
        settings.preVoteEnabled = false
        var driver = try ElectionDriver(settings: settings)
        let deadline = try #require(driver.start(at: 0).wakeUp)
        #expect(driver.wake(at: deadline).sent(to: "b") == [.voteRequest(term: 1, isTransfer: false)])
    }

    // MARK: RequestVote and persistence

    /// Thesis §3.4 / Figure 3.1: term and vote are saved in one write before the grant is returned.
    @Test func voteIsPersistedBeforeTheGrant() throws {
        var driver = try ElectionDriver()
        _ = driver.start(at: 0)
        let output = driver.receive(.voteRequest(term: 4, isTransfer: false), from: "b", at: 2)
        #expect(output.sent(to: "b") == [.voteResponse(term: 4, granted: true)])
        #expect(driver.store.saved == PersistentState(currentTerm: 4, votedFor: "b"))
        #expect(driver.store.saveCount == 1)
        // One vote per term: c is refused in term 4, b's duplicate request is granted again.
        #expect(driver.receive(.voteRequest(term: 4, isTransfer: false), from: "c", at: 2.1).sent(to: "c")
            == [.voteResponse(term: 4, granted: false)])
        #expect(driver.receive(.voteRequest(term: 4, isTransfer: false), from: "b", at: 2.2).sent(to: "b")
            == [.voteResponse(term: 4, granted: true)])
    }

    /// If the save fails the node neither votes nor changes term, and says so.
    @Test func persistFailureMeansNoVote() throws {
        var driver = try ElectionDriver()
        _ = driver.start(at: 0)
        driver.store.failsSaves = true
        let output = driver.receive(.voteRequest(term: 4, isTransfer: false), from: "b", at: 2)
        #expect(output.sent.isEmpty)
        #expect(output.events == [.persistFailed(attempted: PersistentState(currentTerm: 4, votedFor: "b"), error: "injected save failure")])
        #expect(driver.election.persistent == .initial)
        #expect(driver.leadership(at: 2).term == 0)
    }

    @Test func persistFailureMeansNoCampaign() throws {
        var driver = try ElectionDriver()
        let deadline = try #require(driver.start(at: 0).wakeUp)
        _ = driver.wake(at: deadline)
        driver.store.failsSaves = true
        let output = driver.receive(.preVoteResponse(term: 1, granted: true), from: "b", at: deadline)
        #expect(output.sent.isEmpty)
        #expect(output.events.contains(.persistFailed(attempted: PersistentState(currentTerm: 1, votedFor: "a"), error: "injected save failure")))
        #expect(driver.leadership(at: deadline).role == .follower)
        #expect(output.wakeUp != nil)  // it will try again at the next timeout
    }

    @Test func voteRefusedWithinLeaderContact() throws {
        var driver = try ElectionDriver()
        _ = driver.start(at: 0)
        _ = driver.receive(.heartbeat(term: 2, round: 9), from: "b", at: 3)
        #expect(driver.receive(.voteRequest(term: 3, isTransfer: false), from: "c", at: 4.49).sent(to: "c")
            == [.voteResponse(term: 2, granted: false)])
        #expect(driver.election.persistent == PersistentState(currentTerm: 2, votedFor: nil))
        #expect(driver.receive(.voteRequest(term: 3, isTransfer: false), from: "c", at: 4.5).sent(to: "c")
            == [.voteResponse(term: 3, granted: true)])
    }

    /// Terms and votes survive a restart through the store.
    @Test func restartKeepsTermAndVote() throws {
        let store = MemoryTermStore()
        var first = try ElectionDriver(store: store)
        _ = first.start(at: 0)
        _ = first.receive(.voteRequest(term: 6, isTransfer: false), from: "b", at: 2)
        var second = try ElectionDriver(store: store)
        #expect(second.election.persistent == PersistentState(currentTerm: 6, votedFor: "b"))
        _ = second.start(at: 0)
        #expect(second.receive(.voteRequest(term: 6, isTransfer: false), from: "c", at: 2).sent(to: "c")
            == [.voteResponse(term: 6, granted: false)])
    }

    /// The grant follows its `.persist`, and the shell's gate holds it until the write is durable.
    @Test func voteGrantIsNotSentBeforeItsWriteIsConfirmed() throws {
        var driver = try ElectionDriver()
        driver.confirmsWrites = false
        _ = driver.start(at: 0)
        let vote = PersistentState(currentTerm: 4, votedFor: "b")
        let output = driver.receive(.voteRequest(term: 4, isTransfer: false), from: "b", at: 2)
        #expect(output.writes == [vote])
        #expect(output.sent.isEmpty)
        #expect(driver.gate.writeInFlight == vote)
        #expect(driver.election.persistent == vote && driver.election.durable == .initial)
        // A heartbeat ack that comes after the write waits behind it too; a refusal also does.
        #expect(driver.receive(.heartbeat(term: 4, round: 1), from: "c", at: 2.1).sent.isEmpty)
        #expect(driver.gate.heldSends == 2)
        let released = driver.confirmWrite(at: 2.2)
        #expect(released.sent(to: "b") == [.voteResponse(term: 4, granted: true)])
        #expect(released.sent(to: "c") == [.heartbeatAck(term: 4, round: 1, accepted: true)])
        #expect(driver.store.saved == vote && driver.election.durable == vote)
    }

    /// A failed write sends nothing that depended on it and leaves a follower in its durable term.
    @Test func failedWriteSendsNothingAndLeavesAFollowerInTheDurableTerm() throws {
        let durable = PersistentState(currentTerm: 3, votedFor: "c")
        var driver = try ElectionDriver(store: MemoryTermStore(durable))
        driver.confirmsWrites = false
        _ = driver.start(at: 0)
        _ = driver.receive(.heartbeat(term: 4, round: 1), from: "c", at: 2)  // adopts term 4: a write
        #expect(driver.leadership(at: 2).leader == "c")
        #expect(driver.receive(.voteRequest(term: 5, isTransfer: true), from: "b", at: 2.1).sent.isEmpty)
        let output = driver.failWrite(at: 2.2)
        #expect(output.sent.isEmpty)
        #expect(output.events.first == .persistFailed(attempted: PersistentState(currentTerm: 4, votedFor: nil),
                                                      error: "injected save failure"))
        #expect(output.wakeUp != nil)
        #expect(driver.gate.heldSends == 0 && driver.gate.writeInFlight == nil)
        #expect(driver.election.persistent == durable)
        #expect(driver.leadership(at: 2.2) == Leadership(role: .follower, term: 3, leader: nil, leaseExpiry: nil, isLeaseValid: false))
        #expect(driver.store.saved == durable && driver.store.saveCount == 0)
    }

    /// A candidate whose self-vote write fails never asks for votes.
    @Test func failedCampaignWriteSendsNoRequests() throws {
        var driver = try ElectionDriver()
        driver.confirmsWrites = false
        let deadline = try #require(driver.start(at: 0).wakeUp)
        _ = driver.wake(at: deadline)
        let campaign = driver.receive(.preVoteResponse(term: 1, granted: true), from: "b", at: deadline)
        #expect(campaign.writes == [PersistentState(currentTerm: 1, votedFor: "a")])
        #expect(campaign.sent.isEmpty)
        #expect(driver.failWrite(at: 3).sent.isEmpty)
        #expect(driver.leadership(at: 3).role == .follower && driver.leadership(at: 3).term == 0)
    }

    /// Writes reach the store one at a time, in the order asked for.
    @Test func queuedWritesStartOneAtATimeInOrder() throws {
        var driver = try ElectionDriver()
        driver.confirmsWrites = false
        _ = driver.start(at: 0)
        #expect(driver.receive(.voteRequest(term: 4, isTransfer: false), from: "b", at: 2).writes.count == 1)
        #expect(driver.receive(.heartbeat(term: 5, round: 1), from: "c", at: 2.1).writes.isEmpty)
        let first = driver.confirmWrite(at: 2.2)
        #expect(first.sent(to: "b") == [.voteResponse(term: 4, granted: true)])
        #expect(first.writes == [PersistentState(currentTerm: 5, votedFor: nil)])
        #expect(first.sent(to: "c").isEmpty)
        #expect(driver.confirmWrite(at: 2.3).sent(to: "c") == [.heartbeatAck(term: 5, round: 1, accepted: true)])
        #expect(driver.store.saveCount == 2)
    }

    // MARK: Leadership, lease and CheckQuorum

    @Test func votesFromAMajorityMakeALeaderThatHeartbeats() throws {
        var driver = try ElectionDriver()
        let deadline = try #require(driver.start(at: 0).wakeUp)
        _ = driver.wake(at: deadline)
        _ = driver.receive(.preVoteResponse(term: 1, granted: true), from: "b", at: deadline)
        let output = driver.receive(.voteResponse(term: 1, granted: true), from: "c", at: deadline)
        #expect(output.events.contains(.becameLeader(term: 1)))
        #expect(output.events.contains(.leaderChanged(leader: "a", term: 1)))
        #expect(output.sent(to: "b") == [.heartbeat(term: 1, round: 1)])
        #expect(output.wakeUp == deadline + .milliseconds(300))
        let next = driver.wake(at: deadline + .milliseconds(300))
        #expect(next.sent(to: "c") == [.heartbeat(term: 1, round: 2)])
    }

    /// The lease runs from the send time of the newest majority-acknowledged round: valid strictly
    /// before sendTime + lease, invalid from then on; no lease before any acknowledgement.
    @Test func leaseValidityHasExactBounds() throws {
        var driver = try ElectionDriver()
        let elected = driver.becomeLeader()
        #expect(driver.leadership(at: elected).role == .leader)
        #expect(driver.leadership(at: elected).isLeaseValid == false)
        _ = driver.receive(.heartbeatAck(term: 1, round: 1, accepted: true), from: "c", at: elected + .milliseconds(200))
        let leadership = driver.leadership(at: elected + lease - .nanoseconds(1))
        #expect(leadership.leaseExpiry == elected + lease)
        #expect(leadership.isLeaseValid)
        #expect(driver.leadership(at: elected + lease).isLeaseValid == false)
    }

    @Test func leaseFollowsTheNewestMajorityRound() throws {
        var driver = try ElectionDriver(myself: "a", voters: ["a", "b", "c", "d", "e"])
        let deadline = try #require(driver.start(at: 0).wakeUp)
        _ = driver.wake(at: deadline)
        _ = driver.receive(.preVoteResponse(term: 1, granted: true), from: "b", at: deadline)
        _ = driver.receive(.preVoteResponse(term: 1, granted: true), from: "c", at: deadline)
        _ = driver.receive(.voteResponse(term: 1, granted: true), from: "b", at: deadline)
        _ = driver.receive(.voteResponse(term: 1, granted: true), from: "c", at: deadline)
        let round2 = deadline + .milliseconds(300)
        _ = driver.wake(at: round2)
        // Five voters: the leader plus two acknowledgements are a majority.
        _ = driver.receive(.heartbeatAck(term: 1, round: 2, accepted: true), from: "b", at: round2 + .milliseconds(50))
        #expect(driver.leadership(at: round2 + .milliseconds(60)).isLeaseValid == false)
        _ = driver.receive(.heartbeatAck(term: 1, round: 1, accepted: true), from: "d", at: round2 + .milliseconds(70))
        #expect(driver.leadership(at: round2).leaseExpiry == deadline + lease)  // majority has round 1 only
        _ = driver.receive(.heartbeatAck(term: 1, round: 2, accepted: true), from: "e", at: round2 + .milliseconds(80))
        #expect(driver.leadership(at: round2).leaseExpiry == round2 + lease)
        // An acknowledgement of a round never sent, or a refused one, changes nothing.
        _ = driver.receive(.heartbeatAck(term: 1, round: 99, accepted: true), from: "c", at: round2 + .milliseconds(90))
        _ = driver.receive(.heartbeatAck(term: 1, round: 2, accepted: false), from: "d", at: round2 + .milliseconds(90))
        #expect(driver.leadership(at: round2).leaseExpiry == round2 + lease)
    }

    /// CheckQuorum (§6.2) with the lease bound: the leader steps down exactly when its lease ends.
    @Test func checkQuorumStepsDownWhenTheLeaseEnds() throws {
        var driver = try ElectionDriver()
        let elected = driver.becomeLeader()
        _ = driver.receive(.heartbeatAck(term: 1, round: 1, accepted: true), from: "b", at: elected + .milliseconds(100))
        var now = elected
        var output: [ElectionDirective] = []
        while true {  // follow the requested wake-ups, with nobody answering any more
            now = try #require(output.wakeUp ?? driver.wake(at: now).wakeUp)
            output = driver.wake(at: now)
            if driver.leadership(at: now).role != .leader { break }
        }
        #expect(now == elected + lease)
        #expect(output.events.contains(.steppedDown(term: 1, reason: .lostQuorum)))
        // Having just led, it refuses votes for electionTimeoutMin.
        #expect(driver.receive(.voteRequest(term: 2, isTransfer: false), from: "c", at: now + .milliseconds(1499)).sent(to: "c")
            == [.voteResponse(term: 1, granted: false)])
    }

    @Test func leaderWithoutAnyAcknowledgementStepsDownOneLeaseAfterElection() throws {
        var driver = try ElectionDriver()
        let elected = driver.becomeLeader()
        var now = elected
        while driver.leadership(at: now).role == .leader {
            now = try #require(driver.wake(at: now).wakeUp)
            _ = driver.wake(at: now)
        }
        #expect(now == elected + lease)
    }

    @Test func leaderQueryOnAFollower() throws {
        var driver = try ElectionDriver()
        _ = driver.start(at: 0)
        let output = driver.receive(.heartbeat(term: 2, round: 1), from: "c", at: 1)
        #expect(output.sent(to: "c") == [.heartbeatAck(term: 2, round: 1, accepted: true)])
        #expect(output.events.contains(.leaderChanged(leader: "c", term: 2)))
        #expect(driver.leadership(at: 1) == Leadership(role: .follower, term: 2, leader: "c", leaseExpiry: nil, isLeaseValid: false))
    }

    // MARK: Stale terms and strangers

    @Test func staleHeartbeatIsAnsweredWithTheNewerTerm() throws {
        var driver = try ElectionDriver(store: MemoryTermStore(PersistentState(currentTerm: 5, votedFor: nil)))
        _ = driver.start(at: 0)
        #expect(driver.receive(.heartbeat(term: 4, round: 3), from: "b", at: 1).sent(to: "b")
            == [.heartbeatAck(term: 5, round: 3, accepted: false)])
        #expect(driver.leadership(at: 1).leader == nil)
        #expect(driver.receive(.voteRequest(term: 4, isTransfer: true), from: "b", at: 9).sent(to: "b")
            == [.voteResponse(term: 5, granted: false)])
        #expect(driver.receive(.timeoutNow(term: 4), from: "b", at: 9).sent.isEmpty)
        let staleResponse = driver.receive(.voteResponse(term: 4, granted: true), from: "b", at: 9)
        #expect(staleResponse.sent.isEmpty && staleResponse.events.isEmpty)
    }

    @Test func leaderStepsDownOnAHigherTerm() throws {
        var driver = try ElectionDriver()
        let elected = driver.becomeLeader()
        let output = driver.receive(.heartbeatAck(term: 3, round: 1, accepted: false), from: "c", at: elected + .milliseconds(10))
        #expect(output.events.contains(.steppedDown(term: 1, reason: .higherTerm(3))))
        #expect(driver.store.saved == PersistentState(currentTerm: 3, votedFor: nil))
        #expect(driver.leadership(at: elected) == Leadership(role: .follower, term: 3, leader: nil, leaseExpiry: nil, isLeaseValid: false))
    }

    @Test func leaderRefusesVotesEvenAfterElectionTimeout() throws {
        var driver = try ElectionDriver()
        let elected = driver.becomeLeader()
        _ = driver.receive(.heartbeatAck(term: 1, round: 1, accepted: true), from: "b", at: elected)
        #expect(driver.receive(.voteRequest(term: 2, isTransfer: false), from: "c", at: elected + .milliseconds(200)).sent(to: "c")
            == [.voteResponse(term: 1, granted: false)])
        #expect(driver.receive(.preVoteRequest(term: 2), from: "c", at: elected + .milliseconds(200)).sent(to: "c")
            == [.preVoteResponse(term: 1, granted: false)])
    }

    @Test func messagesFromNonVotersAndItselfAreIgnored() throws {
        var driver = try ElectionDriver()
        _ = driver.start(at: 0)
        #expect(driver.receive(.heartbeat(term: 9, round: 1), from: "mallory", at: 1).isEmpty)
        #expect(driver.receive(.voteRequest(term: 9, isTransfer: true), from: "a", at: 5).isEmpty)
        #expect(driver.election.persistent == .initial)
        #expect(driver.leadership(at: 1).leader == nil)
    }

    @Test func nothingHappensBeforeStart() throws {
        var driver = try ElectionDriver()
        #expect(driver.receive(.heartbeat(term: 1, round: 1), from: "b", at: 1).isEmpty)
        #expect(driver.wake(at: 100).isEmpty)
    }

    // MARK: Leadership transfer

    /// Thesis §3.10: the leader drops its lease before sending TimeoutNow to the follower that
    /// acknowledged most recently, then keeps answering but never campaigns.
    @Test func shutdownTransfersLeadership() throws {
        var driver = try ElectionDriver()
        let elected = driver.becomeLeader()
        _ = driver.receive(.heartbeatAck(term: 1, round: 1, accepted: true), from: "b", at: elected + .milliseconds(50))
        _ = driver.receive(.heartbeatAck(term: 1, round: 1, accepted: true), from: "c", at: elected + .milliseconds(80))
        let stop = elected + .milliseconds(100)
        #expect(driver.leadership(at: stop).isLeaseValid)
        let output = driver.shutDown(at: stop)
        #expect(output == [
            .event(.leaderChanged(leader: nil, term: 1)),
            .event(.steppedDown(term: 1, reason: .transferredLeadership(to: "c"))),
            .send(.timeoutNow(term: 1), to: "c"),
        ])
        #expect(driver.leadership(at: stop) == Leadership(role: .follower, term: 1, leader: nil, leaseExpiry: nil, isLeaseValid: false))
        // It still grants the transfer target's vote, and never campaigns itself.
        #expect(driver.receive(.voteRequest(term: 2, isTransfer: true), from: "c", at: stop + .milliseconds(100)).sent(to: "c")
            == [.voteResponse(term: 2, granted: true)])
        #expect(driver.wake(at: stop + .seconds(60)).isEmpty)
    }

    /// The target campaigns at once, skipping PreVote; a follower still hearing the old leader
    /// grants the transfer vote but not an ordinary one.
    @Test func timeoutNowStartsATransferCampaignThatBypassesTheLeaderGuard() throws {
        var target = try ElectionDriver(myself: "b")
        _ = target.start(at: 0)
        _ = target.receive(.heartbeat(term: 1, round: 4), from: "a", at: 2)
        let output = target.receive(.timeoutNow(term: 1), from: "a", at: 2.1)
        #expect(output.sent(to: "c") == [.voteRequest(term: 2, isTransfer: true)])
        #expect(output.events.contains(.campaignStarted(term: 2, isTransfer: true)))

        var voter = try ElectionDriver(myself: "c")
        _ = voter.start(at: 0)
        _ = voter.receive(.heartbeat(term: 1, round: 4), from: "a", at: 2)
        #expect(voter.receive(.voteRequest(term: 2, isTransfer: false), from: "b", at: 2.2).sent(to: "b")
            == [.voteResponse(term: 1, granted: false)])
        #expect(voter.receive(.voteRequest(term: 2, isTransfer: true), from: "b", at: 2.2).sent(to: "b")
            == [.voteResponse(term: 2, granted: true)])
    }

    @Test func timeoutNowFromSomeoneOtherThanTheLeaderIsIgnored() throws {
        var driver = try ElectionDriver(myself: "b")
        _ = driver.start(at: 0)
        _ = driver.receive(.heartbeat(term: 1, round: 1), from: "a", at: 2)
        #expect(driver.receive(.timeoutNow(term: 1), from: "c", at: 2.1).sent.isEmpty)
    }

    /// A leader holding a valid lease refuses even a transfer vote.
    @Test func leaseHolderRefusesTransferVotes() throws {
        var driver = try ElectionDriver()
        let elected = driver.becomeLeader()
        _ = driver.receive(.heartbeatAck(term: 1, round: 1, accepted: true), from: "b", at: elected)
        #expect(driver.receive(.voteRequest(term: 2, isTransfer: true), from: "c", at: elected + .milliseconds(10)).sent(to: "c")
            == [.voteResponse(term: 1, granted: false)])
    }

    /// Five voters: the candidate and one peer (2 of 5) are no majority; a third grant is.
    @Test func twoOfFiveVotesDoNotMakeALeader() throws {
        var driver = try ElectionDriver(myself: "a", voters: ["a", "b", "c", "d", "e"])
        let deadline = try #require(driver.start(at: 0).wakeUp)
        _ = driver.wake(at: deadline)
        _ = driver.receive(.preVoteResponse(term: 1, granted: true), from: "b", at: deadline)
        #expect(driver.leadership(at: deadline).role == .preCandidate)
        _ = driver.receive(.preVoteResponse(term: 1, granted: true), from: "c", at: deadline)
        #expect(driver.leadership(at: deadline).role == .candidate)
        let two = driver.receive(.voteResponse(term: 1, granted: true), from: "b", at: deadline)
        #expect(!two.events.contains(.becameLeader(term: 1)))
        #expect(two.sent.isEmpty)
        #expect(driver.leadership(at: deadline).role == .candidate)
        // A duplicate grant from the same voter is still two votes.
        _ = driver.receive(.voteResponse(term: 1, granted: true), from: "b", at: deadline)
        #expect(driver.leadership(at: deadline).role == .candidate)
        let three = driver.receive(.voteResponse(term: 1, granted: true), from: "d", at: deadline)
        #expect(three.events.contains(.becameLeader(term: 1)))
    }

    /// A single voter's own vote counts only once it is durable.
    @Test func singleVoterLeadsOnlyOnceItsVoteIsDurable() throws {
        var driver = try ElectionDriver(voters: ["a"])
        driver.confirmsWrites = false
        let deadline = try #require(driver.start(at: 0).wakeUp)
        let campaign = driver.wake(at: deadline)
        #expect(campaign.writes == [PersistentState(currentTerm: 1, votedFor: "a")])
        #expect(driver.leadership(at: deadline).role == .candidate)
        #expect(driver.confirmWrite(at: deadline).events.contains(.becameLeader(term: 1)))
        #expect(driver.leadership(at: deadline).isLeaseValid)
    }

    @Test func singleVoterLeadsAlone() throws {
        var driver = try ElectionDriver(voters: ["a"])
        let deadline = try #require(driver.start(at: 0).wakeUp)
        let output = driver.wake(at: deadline)
        #expect(output.events.contains(.becameLeader(term: 1)))
        #expect(driver.leadership(at: deadline).leaseExpiry == deadline + lease)
        #expect(driver.leadership(at: deadline).isLeaseValid)
    }
}
