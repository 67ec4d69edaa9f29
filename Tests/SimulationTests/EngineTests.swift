import SansIO
import Testing
import Wire
@testable import Simulator

@Suite struct EventQueueTests {
    @Test func popsInTimeOrderAndTiesInInsertionOrder() {
        var queue = EventQueue<Int>()
        var random = SeededGenerator(seed: 7)
        var pushed: [(time: Int64, order: Int)] = []
        for order in 0..<2_000 {
            let time = Int64.random(in: 0..<50, using: &random)  // many ties
            queue.push(order, at: Instant(nanoseconds: time))
            pushed.append((time, order))
        }
        var popped: [(time: Int64, order: Int)] = []
        while let entry = queue.pop() { popped.append((entry.time.nanoseconds, entry.payload)) }
        let expected = pushed.sorted { ($0.time, $0.order) < ($1.time, $1.order) }
        #expect(popped.map(\.order) == expected.map(\.order))
        #expect(queue.isEmpty)
    }
}

@Suite struct NodeClockTests {
    @Test(arguments: [Int64(0), 100_000, -100_000, 999_999, -500_000_000])
    func wakeUpTimeIsTheFirstTrueInstantReachingTheLocalDeadline(drift: Int64) {
        let clock = NodeClock(skew: .milliseconds(700), driftPartsPerBillion: drift)
        var random = SeededGenerator(seed: UInt64(bitPattern: drift))
        for _ in 0..<500 {
            let local = Instant(nanoseconds: Int64.random(in: 700_000_000...4_000_000_000_000, using: &random))
            let t = clock.trueTime(reaching: local)
            #expect(clock.local(at: t) >= local)
            #expect(clock.local(at: t - .nanoseconds(1)) < local)
        }
    }

    @Test func localTimeFollowsSkewAndDrift() {
        let clock = NodeClock(skew: .seconds(2), driftPartsPerBillion: 100_000)  // +100 ppm
        // After one true hour the clock has gained 360 ms on top of its 2 s skew.
        #expect(clock.local(at: .zero + .seconds(3_600)) == .zero + .seconds(3_602) + .milliseconds(360))
    }

    @Test func simulatedWakeUpsFireAtTheRequestedLocalTime() {
        let simulation = Simulation.pingPong(seed: 3, nodes: 3, maxDrift: 400_000)
        simulation.run(until: .zero + .seconds(30))
        for node in 0..<3 {
            let process = try! #require(simulation.pingPong(node))
            let clock = simulation.clock(of: node)
            #expect(process.wakeUpTimes.count >= 280)
            // Each wake-up observes a local time at most 1 ns past a multiple of the period
            // counted from the first deadline: never early, never late.
            for (index, seen) in process.wakeUpTimes.enumerated().dropFirst() {
                let previous = process.wakeUpTimes[index - 1]
                let gap = seen - previous
                #expect(gap >= .milliseconds(100) - .nanoseconds(1) && gap <= .milliseconds(100) + .nanoseconds(1))
            }
            #expect(clock != .exact)
        }
    }
}

@Suite struct DeterminismTests {
    static let lossy = LinkConditions(loss: 0.2, duplication: 0.3, reordering: 0.3)

    @Test func sameSeedSameTraceHashDifferentSeedsDiffer() {
        var hashes: Set<UInt64> = []
        for seed in UInt64(1)...20 {
            let first = Simulation.pingPong(seed: seed, nodes: 5, conditions: Self.lossy)
            first.run(until: .zero + .seconds(20))
            let second = Simulation.pingPong(seed: seed, nodes: 5, conditions: Self.lossy)
            second.run(until: .zero + .seconds(20))
            #expect(first.traceHash == second.traceHash, "seed \(seed)")
            #expect(first.eventsProcessed == second.eventsProcessed)
            hashes.insert(first.traceHash)
        }
        #expect(hashes.count == 20)
    }

    @Test func lossAndDuplicationRatesMatchTheConditions() {
        let simulation = Simulation.pingPong(seed: 11, nodes: 2,
                                             conditions: LinkConditions(loss: 0.25, duplication: 0.5))
        simulation.run(until: .zero + .seconds(200))
        let pings = Double(try! #require(simulation.pingPong(0)).pingsSent)
        let receivedPings = Double(try! #require(simulation.pingPong(1)).received.filter { $0.tag == PingPongProcess.ping }.count)
        // Expected copies per ping: 0.75 × 1.5 = 1.125.
        #expect(abs(receivedPings / pings - 1.125) < 0.05)
    }
}

@Suite struct PartitionTests {
    @Test func oneWayCutDropsOnlyOneDirection() {
        // 2 nodes: node 0 pings node 1, node 1 pings node 0; cut 0 -> 1 only.
        let simulation = Simulation.pingPong(seed: 5, nodes: 2)
        simulation.schedule(.cut([Cut(from: .nodes([0]), to: .nodes([1]))]), at: .zero)
        simulation.run(until: .zero + .seconds(10))
        let zero = try! #require(simulation.pingPong(0)), one = try! #require(simulation.pingPong(1))
        #expect(one.received.isEmpty)  // node 0's pings and pongs never reach node 1
        #expect(zero.received.contains { $0.tag == PingPongProcess.ping })  // node 1's pings arrive
        #expect(!zero.received.contains { $0.tag == PingPongProcess.pong })
    }

    @Test func isolatedRegionKeepsTalkingInsideAndHealRestoresTraffic() {
        // 6 nodes, 3 regions: ring 0→1→2→3→4→5→0; region 1 holds nodes 1 and 4.
        let simulation = Simulation.pingPong(seed: 9, nodes: 6)
        simulation.schedule(.cut(Cut.isolating(.region(1))), at: .zero)  // nodes 1 and 4
        simulation.run(until: .zero + .seconds(10))
        let beforeHeal = (0..<6).map { simulation.pingPong($0)!.received.count }
        #expect(beforeHeal[1] == 0 && beforeHeal[4] == 0)
        let pings = { (node: Int) in simulation.pingPong(node)!.received.filter { $0.tag == PingPongProcess.ping }.count }
        #expect(pings(2) == 0 && pings(5) == 0)  // their pingers are isolated
        #expect(pings(3) > 0 && beforeHeal[2] > 0)  // 2 ↔ 3 crosses no cut
        #expect(simulation.network.isCut(from: 1, fromRegion: 1, to: 4, toRegion: 1) == false)
        simulation.schedule(.heal, at: simulation.now)
        simulation.run(for: .seconds(10))
        let afterHeal = (0..<6).map { simulation.pingPong($0)!.received.count }
        #expect(afterHeal[1] > 0 && afterHeal[4] > 0 && afterHeal[2] > 0)
    }
}

@Suite struct NodeLifecycleTests {
    @Test func crashLosesVolatileStateAndRestartKeepsTheDisk() {
        let simulation = Simulation.pingPong(seed: 2, nodes: 3)
        simulation.run(until: .zero + .seconds(5))
        #expect(try! #require(simulation.pingPong(1)).pingsSent > 30)
        #expect(simulation.disk(of: 1).read("boots") == [1])
        simulation.schedule(.crash(node: 1), at: simulation.now)
        simulation.run(for: .seconds(5))
        #expect(!simulation.isUp(1))
        #expect(simulation.pingPong(1) == nil)
        simulation.schedule(.restart(node: 1), at: simulation.now)
        simulation.run(for: .milliseconds(550))
        let restarted = try! #require(simulation.pingPong(1))
        #expect(simulation.bootEpoch(of: 1) == 2)
        #expect(simulation.disk(of: 1).read("boots") == [2])  // persisted across the crash
        #expect(restarted.pingsSent == 5)  // volatile counter started over; old timers are gone
    }

    @Test func pausedNodeHandlesItsBacklogAfterResumingTimersFirst() {
        let simulation = Simulation.pingPong(seed: 4, nodes: 2)
        simulation.run(until: .zero + .seconds(3))
        let before = simulation.pingPong(1)!.received.count
        simulation.schedule(.pause(node: 1, duration: .seconds(2)), at: simulation.now)
        simulation.run(for: .seconds(1))
        #expect(simulation.isPaused(1))
        #expect(simulation.pingPong(1)!.received.count == before)  // nothing handled while paused
        simulation.run(for: .milliseconds(1_001))
        #expect(!simulation.isPaused(1))
        let after = simulation.pingPong(1)!
        // About 20 pings from node 0 were deferred, then handled.
        #expect(after.received.count - before >= 19)
        // The stalled timers fired in a burst at resume (same local time), before the backlog.
        let burst = after.wakeUpTimes.suffix(25)
        #expect(Set(burst).count < burst.count)
    }
}

@Suite struct InvariantTests {
    struct NoPongAfter: Invariant {
        let name = "no-pong-after-5s"
        func check(after entry: TraceEntry, observations: [Observation], in simulation: Simulation) -> String? {
            for observation in observations {
                if let received = observation.event as? PingPongProcess.Received, received.tag == PingPongProcess.pong,
                   observation.time > .zero + .seconds(5) {
                    return "node-\(observation.node) got pong \(received.counter)"
                }
            }
            return nil
        }
    }

    @Test func firstViolationStopsTheRunWithSeedTimeNameAndTrace() {
        let simulation = Simulation.pingPong(seed: 42, nodes: 3)
        simulation.add(NoPongAfter())
        let violation = try! #require(simulation.run(until: .zero + .seconds(60)))
        #expect(violation.seed == 42)
        #expect(violation.invariant == "no-pong-after-5s")
        #expect(violation.time > .zero + .seconds(5) && violation.time < .zero + .seconds(6))
        #expect(simulation.now == violation.time)
        #expect(violation.trace.count == 20)
        #expect(violation.trace.last?.time == violation.time)
        #expect(violation.description.contains("seed 42"))
    }

    @Test func undecodableDatagramIsACodecViolation() {
        let simulation = Simulation.pingPong(seed: 1, nodes: 2)
        simulation.run(until: .zero + .seconds(2))
        simulation.perform(on: 0) { _, io in io.send([9, 9], to: "sim:1") }
        let violation = try! #require(simulation.run(for: .seconds(1)))
        #expect(violation.invariant == "codec")
    }
}
