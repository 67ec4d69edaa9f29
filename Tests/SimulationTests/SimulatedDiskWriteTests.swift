import Raft
import SansIO
import Testing
@testable import Simulator

/// How `ElectionComponent` carries out `.persist` against `DiskConditions`: a write takes its
/// time, lands on the disk only when it completes, is lost if the node crashes first, and a failed
/// write is reported to the election.
@Suite struct SimulatedDiskWriteTests {
    /// A single voter with exact clocks whose every write takes 400 ms (or fails).
    func singleVoter(failing: Bool = false) -> Simulation {
        var configuration = SimulationConfiguration(nodeCount: 1, maxClockSkew: .zero, maxDriftPartsPerBillion: 0,
                                                    startSpread: .zero)
        configuration.disk = DiskConditions(latency: .milliseconds(400), failureProbability: failing ? 1 : 0)
        return ElectionCluster(configuration: configuration).simulation(seed: 3)
    }

    func campaignStart(_ simulation: Simulation) -> Instant? {
        var started: Instant?
        simulation.observe { observation, _ in
            if case ElectionEvent.campaignStarted = observation.event, started == nil { started = observation.time }
        }
        _ = Scenario.runUntil(simulation, end: .zero + .seconds(5), step: .milliseconds(1)) { _ in started != nil }
        return started
    }

    @Test func aWriteLandsWhenItCompletesAndOnlyThenCounts() throws {
        let simulation = singleVoter()
        let started = try #require(campaignStart(simulation))
        #expect(simulation.disk(of: 0).writeCount == 0)
        #expect(ElectionCluster.leaseHolder(in: simulation) == nil)  // its own vote is not durable yet
        simulation.run(until: started + .milliseconds(399))
        #expect(simulation.disk(of: 0).writeCount == 0)
        simulation.run(until: started + .milliseconds(400))
        #expect(try DiskTermStore.load(from: simulation.disk(of: 0)) == PersistentState(currentTerm: 1, votedFor: "node-0"))
        #expect(ElectionCluster.leaseHolder(in: simulation) == 0)
        #expect(simulation.violation == nil)
    }

    @Test func aCrashBeforeTheWriteCompletesLosesIt() throws {
        let simulation = singleVoter()
        let started = try #require(campaignStart(simulation))
        simulation.schedule(.crash(node: 0), at: started + .milliseconds(200))
        simulation.schedule(.restart(node: 0), at: started + .milliseconds(300))
        simulation.run(until: started + .milliseconds(600))
        #expect(simulation.disk(of: 0).writeCount == 0)
        #expect(ElectionCluster.election(of: 0, in: simulation)?.persistent == .initial)
        #expect(simulation.violation == nil)
    }

    @Test func aFailedWriteIsReportedAndNothingLands() throws {
        let simulation = singleVoter(failing: true)
        var failures = 0
        simulation.observe { observation, _ in if case ElectionEvent.persistFailed = observation.event { failures += 1 } }
        let started = try #require(campaignStart(simulation))
        simulation.run(until: started + .milliseconds(400))
        #expect(failures == 1)
        #expect(simulation.disk(of: 0).writeCount == 0)
        #expect(ElectionCluster.election(of: 0, in: simulation)?.leadership(now: simulation.localTime(of: 0)).role == .follower)
        #expect(ElectionCluster.leaseHolder(in: simulation) == nil)
        #expect(simulation.violation == nil)
    }
}
