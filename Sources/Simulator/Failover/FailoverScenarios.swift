import Failover
import Raft
import SansIO

/// The failover scenarios of issue 13: nine whole agents (membership, election, failover) in three
/// regions against the simulated endpoints and DNS provider, with the election and failover
/// invariants checked after every event. `min_peers_agree` is 1 unless a scenario says otherwise.
extension Scenario {
    /// Stream tag for the failover scenarios' own choices (which address fails, when).
    static let failoverStream: UInt64 = 0xFA11_0FE5

    static func failoverCluster(_ settings: Settings, minPeersAgree: Int = 1) -> FailoverCluster {
        var cluster = FailoverCluster(configuration: SimulationConfiguration(
            nodeCount: settings.nodes, conditions: LinkConditions(loss: settings.loss)))
        cluster.minPeersAgree = minPeersAgree
        return cluster
    }

    /// Boots the cluster and waits (up to 40 s) until a leader holds a lease, has listed every
    /// name and has nothing to do, and every agent sees every address up. Returns the leader.
    static func settled(_ simulation: Simulation, _ cluster: FailoverCluster) -> Int? {
        _ = runUntil(simulation, end: .zero + .seconds(40), step: .milliseconds(50)) { simulation in
            guard let leader = ElectionCluster.leaseHolder(in: simulation),
                  let state = FailoverCluster.failover(of: leader, in: simulation)?.leaderState,
                  state.stale.isEmpty, state.inFlight == nil else { return false }
            return (0..<simulation.nodeCount).allSatisfy { node in
                let verdicts = FailoverCluster.failover(of: node, in: simulation)?.verdicts ?? [:]
                return cluster.pool.allSatisfy { verdicts[$0] == .restore }
            }
        }
        return ElectionCluster.leaseHolder(in: simulation)
    }

    /// Builds the cluster, waits until it has settled, and runs `body` with the leader; a cluster
    /// that never settles is reported as `no_settled_leader`.
    static func afterSettling(
        _ cluster: FailoverCluster, seed: UInt64,
        _ body: (_ simulation: Simulation, _ leader: Int) -> [Measurement]
    ) -> ScenarioRun {
        let simulation = cluster.simulation(seed: seed)
        guard let leader = settled(simulation, cluster) else {
            return ScenarioRun(simulation, measurements: [Measurement("no_settled_leader", 1, .sum)])
        }
        let measurements = body(simulation, leader)
        return ScenarioRun(simulation, measurements: measurements)
    }

    /// One endpoint fails (and, with `recoverAfter`, comes back): the figures of the failover path.
    static func endpointOutage(seed: UInt64, settings: Settings, recoverAfter: Duration?) -> ScenarioRun {
        let cluster = failoverCluster(settings)
        var random = SeededGenerator(seed: seed).derived(stream: failoverStream)
        return afterSettling(cluster, seed: seed) { simulation, leader in
            let recorder = FailoverRecorder(simulation)
            _ = simulation.run(for: .milliseconds(Int64.random(in: 0..<1_000, using: &random)))
            let failedAt = simulation.now
            let address = cluster.pool[Int.random(in: 0..<cluster.pool.count, using: &random)]
            let name = cluster.hostnames[0]
            let recoveredAt = recoverAfter.map { failedAt + $0 }
            simulation.world.endpoints.add(.init(address: address, start: failedAt, end: recoveredAt))
            let threshold = cluster.minPeersAgree + 1
            let removedAt = runUntil(simulation, end: failedAt + settings.duration, step: .milliseconds(10)) { simulation in
                simulation.world.dns.landing(of: address, in: name, removed: true, after: failedAt) != nil
            }.flatMap { _ in simulation.world.dns.landing(of: address, in: name, removed: true, after: failedAt) }
            let agreedDown = recorder.agreement(threshold, on: address, down: true, after: failedAt)
            let deleteSent = recorder.firstWrite(touching: address, removing: true, after: failedAt)?.time
            var measurements = [
                Measurement("not_failed_over", removedAt == nil ? 1 : 0, .sum),
                Measurement("detection_s", agreedDown.map { ($0 - failedAt).seconds } ?? settings.duration.seconds,
                            .distribution),
            ]
            if let removedAt, let agreedDown, let deleteSent {
                measurements += [
                    Measurement("failover_s", (removedAt - failedAt).seconds, .distribution),
                    Measurement("decision_overhead_s", (deleteSent - agreedDown).seconds, .distribution),
                    Measurement("api_calls_per_failover", Double(recorder.callCount(from: failedAt, through: removedAt)), .mean),
                ]
            }
            guard let recoveredAt else { return measurements }
            _ = simulation.run(until: recoveredAt)
            let restoredAt = runUntil(simulation, end: recoveredAt + settings.duration, step: .milliseconds(10)) { simulation in
                simulation.world.dns.landing(of: address, in: name, removed: false, after: recoveredAt) != nil
            }.flatMap { _ in simulation.world.dns.landing(of: address, in: name, removed: false, after: recoveredAt) }
            measurements.append(Measurement("not_recovered", restoredAt == nil ? 1 : 0, .sum))
            if let restoredAt {
                measurements.append(Measurement("recovery_s", (restoredAt - recoveredAt).seconds, .distribution))
            }
            measurements.append(Measurement("duplicate_records", Double(simulation.world.dns.duplicateRecords), .sum))
            return measurements
        }
    }

    public static let endpointDown = Scenario(
        name: "endpoint-down", summary: "an endpoint dies; failover_s, decision_overhead_s, api_calls_per_failover",
        defaultDuration: .seconds(20), minimumNodes: 3,
        livenessFailures: ["no_settled_leader", "not_failed_over"]
    ) { seed, settings in
        endpointOutage(seed: seed, settings: settings, recoverAfter: nil)
    }

    public static let endpointRecover = Scenario(
        name: "endpoint-recover", summary: "an endpoint dies for 15 s and comes back; recovery_s",
        defaultDuration: .seconds(20), minimumNodes: 3,
        livenessFailures: ["no_settled_leader", "not_failed_over", "not_recovered", "duplicate_records"]
    ) { seed, settings in
        endpointOutage(seed: seed, settings: settings, recoverAfter: .seconds(15))
    }

    /// The endpoint fails only from one region (3 of 9 agents): with `min_peers_agree = 3` it
    /// must stay in DNS, with `min_peers_agree = 1` it is removed.
    public static let pathFailure = Scenario(
        name: "path-failure", summary: "an endpoint fails from one region only; removed with min_peers_agree 1, kept with 3",
        defaultDuration: .seconds(30), minimumNodes: 4,
        livenessFailures: ["no_settled_leader"]
    ) { seed, settings in
        var measurements: [Measurement] = []
        var last: Simulation?
        for minPeersAgree in [1, 3] {
            let cluster = failoverCluster(settings, minPeersAgree: minPeersAgree)
            let simulation = cluster.simulation(seed: seed)
            last = simulation
            guard settled(simulation, cluster) != nil else {
                measurements.append(Measurement("no_settled_leader", 1, .sum))
                continue
            }
            let address = cluster.pool[0], name = cluster.hostnames[0], start = simulation.now
            simulation.world.endpoints.add(.init(address: address, regions: [0], start: start))
            _ = simulation.run(for: settings.duration)
            let removed = simulation.world.dns.landing(of: address, in: name, removed: true, after: start) != nil
            measurements.append(Measurement("removed_with_min_peers_agree_\(minPeersAgree)", removed ? 1 : 0, .sum))
            if simulation.violation != nil { break }
        }
        return ScenarioRun(last!, measurements: measurements)
    }

    /// Every address of the name fails: the last record stays (fail open) and one alert is raised.
    public static let allDown = Scenario(
        name: "all-down", summary: "every address of the name fails; the last record stays, one all-down alert",
        defaultDuration: .seconds(60), minimumNodes: 3,
        livenessFailures: ["no_settled_leader"]
    ) { seed, settings in
        let cluster = failoverCluster(settings)
        return afterSettling(cluster, seed: seed) { simulation, leader in
            let recorder = FailoverRecorder(simulation)
            let start = simulation.now, name = cluster.hostnames[0]
            for address in cluster.pool { simulation.world.endpoints.add(.init(address: address, start: start)) }
            var fewest = cluster.pool.count
            simulation.every(.milliseconds(100)) { simulation in
                fewest = min(fewest, simulation.world.dns.addresses(of: name).count)
            }
            _ = simulation.run(for: settings.duration)
            return [
                Measurement("records_left_min", Double(fewest), .distribution),
                Measurement("all_down_alerts", Double(recorder.allDownAlerts.count), .distribution),
            ]
        }
    }

    /// An endpoint flaps (down 2 s, up 2 s) for the run: hysteresis (fall 3 at 1 s) keeps DNS still.
    public static let endpointFlap = Scenario(
        name: "endpoint-flap", summary: "an endpoint flaps every 2 s; dns_writes_per_hour bounded by hysteresis",
        defaultDuration: .seconds(3_600), minimumNodes: 3,
        livenessFailures: ["no_settled_leader"]
    ) { seed, settings in
        let cluster = failoverCluster(settings)
        return afterSettling(cluster, seed: seed) { simulation, leader in
            let start = simulation.now
            simulation.world.endpoints.add(.init(address: cluster.pool[0], start: start, end: start + settings.duration,
                                                 flapPeriod: .seconds(2)))
            let writesBefore = simulation.world.dns.landedWrites.count
            _ = simulation.run(for: settings.duration)
            let writes = Double(simulation.world.dns.landedWrites.count - writesBefore)
            return [
                Measurement("dns_writes_per_hour", writes * 3_600 / settings.duration.seconds, .distribution),
            ]
        }
    }

    /// The leader crashes the moment it sends the delete: the next leader finishes the job.
    public static let leaderCrashMidReconcile = Scenario(
        name: "leader-crash-mid-reconcile", summary: "the leader crashes as it sends a delete; the next leader converges",
        defaultDuration: .seconds(30), minimumNodes: 3,
        livenessFailures: ["no_settled_leader", "unconverged", "duplicate_records"]
    ) { seed, settings in
        let cluster = failoverCluster(settings)
        return afterSettling(cluster, seed: seed) { simulation, leader in
            let address = cluster.pool[1], name = cluster.hostnames[0]
            simulation.observe { observation, simulation in
                if observation.node == leader, let started = observation.event as? DNSCallStarted, started.call.request.isWrite {
                    simulation.schedule(.crash(node: leader), at: simulation.now)
                }
            }
            simulation.world.endpoints.add(.init(address: address, start: simulation.now))
            _ = simulation.run(for: settings.duration)
            return converged(simulation, cluster, name: name)
        }
    }

    /// The leader's region is cut off from the other agents while an endpoint dies; it still reaches
    /// the endpoints and the API. The majority fails over; the cut-off region never writes once the
    /// old lease has run out.
    public static let partitionDuringFailover = Scenario(
        name: "partition-during-failover", summary: "the leader's region is cut off as an endpoint dies; the minority never writes",
        defaultDuration: .seconds(40), minimumNodes: 3,
        livenessFailures: ["no_settled_leader", "not_failed_over"]
    ) { seed, settings in
        let cluster = failoverCluster(settings)
        return afterSettling(cluster, seed: seed) { simulation, leader in
            let region = cluster.configuration.region(of: leader)
            let start = simulation.now, address = cluster.pool[2], name = cluster.hostnames[0]
            let leaseBound = cluster.election.lease.scaled(by: 1 / (1 - cluster.election.maxClockDrift))
            simulation.schedule(.cut(Cut.isolating(.region(region))), at: start)
            simulation.world.endpoints.add(.init(address: address, start: start))
            _ = simulation.run(for: settings.duration)
            let minorityWrites = simulation.world.dns.landedWrites.filter {
                $0.time > start + leaseBound && cluster.configuration.region(of: $0.writer) == region
            }.count
            let removed = simulation.world.dns.landing(of: address, in: name, removed: true, after: start)
            return [
                Measurement("minority_writes", Double(minorityWrites), .sum),
                Measurement("majority_failover_s", removed.map { ($0 - start).seconds } ?? settings.duration.seconds, .distribution),
                Measurement("not_failed_over", removed == nil ? 1 : 0, .sum),
            ]
        }
    }

    /// The provider answers 429 and 5xx to most calls for three minutes while an endpoint fails and
    /// recovers; afterwards DNS converges with no duplicate and no lost record.
    public static let apiStorm = Scenario(
        name: "api-storm", summary: "429/5xx for 3 minutes during a failure and recovery; converges afterwards",
        defaultDuration: .seconds(300), minimumNodes: 3,
        livenessFailures: ["no_settled_leader", "unconverged", "duplicate_records"]
    ) { seed, settings in
        let cluster = failoverCluster(settings)
        return afterSettling(cluster, seed: seed) { simulation, leader in
            let start = simulation.now, stormEnd = start + .seconds(180)
            simulation.world.dns.faults = DNSFaultPlan(windows: [
                .init(start: start, end: stormEnd, kind: .rateLimited(retryAfter: .seconds(2)), probability: 0.5),
                .init(start: start, end: stormEnd, kind: .serverError, probability: 0.8),
            ])
            simulation.world.endpoints.add(.init(address: cluster.pool[0], start: start + .seconds(10), end: start + .seconds(120)))
            simulation.world.endpoints.add(.init(address: cluster.pool[1], start: start + .seconds(60)))
            _ = simulation.run(until: max(stormEnd + .seconds(90), start + settings.duration))
            return converged(simulation, cluster, name: cluster.hostnames[0])
        }
    }

    /// Whether DNS matches the endpoints' truth with no duplicate record, as measurements.
    static func converged(_ simulation: Simulation, _ cluster: FailoverCluster, name: String) -> [Measurement] {
        [
            Measurement("unconverged", cluster.divergence(in: simulation, name: name) == nil ? 0 : 1, .sum),
            Measurement("duplicate_records", Double(simulation.world.dns.duplicateRecords), .sum),
        ]
    }

    static let failover: [Scenario] = [.endpointDown, .endpointRecover, .pathFailure, .allDown, .endpointFlap,
                                       .leaderCrashMidReconcile, .partitionDuringFailover, .apiStorm, .leaseEdge, .failoverSwarm]
}

extension Scenario {
    /// The write fence where it matters: the leader's heartbeats stop reaching the others (a one-way
    /// cut) so its lease runs out, timed so the endpoint's failure is agreed just around then. The
    /// leader then plans a delete with little lease left; the fence must hold it back (a write
    /// that still lands must land inside the lease). `fenceEnabled: false` shows what it prevents.
    public static func leaseEdge(seed: UInt64, settings: Settings, fenceEnabled: Bool) -> ScenarioRun {
        var random = SeededGenerator(seed: seed).derived(stream: failoverStream)
        var cluster = failoverCluster(settings)
        cluster.fence.isEnabled = fenceEnabled
        return afterSettling(cluster, seed: seed) { simulation, leader in
            let failedAt = simulation.now
            simulation.world.endpoints.add(.init(address: cluster.pool[0], start: failedAt))
            // The second agent usually agrees about 3 s later; the lease outlives the cut by about 1.2 s.
            let cutAt = failedAt + .milliseconds(1_800 + Int64.random(in: -400...400, using: &random))
            let others = Set((0..<settings.nodes).filter { $0 != leader })
            simulation.schedule(.cut([Cut(from: .nodes([leader]), to: .nodes(others))]), at: cutAt)
            _ = simulation.run(for: settings.duration)
            return converged(simulation, cluster, name: cluster.hostnames[0])
        }
    }

    public static let leaseEdge = Scenario(
        name: "lease-edge", summary: "the leader's lease runs out just as a failure is agreed; the fence holds the write",
        defaultDuration: .seconds(30), minimumNodes: 3,
        livenessFailures: ["no_settled_leader", "unconverged", "duplicate_records"]
    ) { seed, settings in
        leaseEdge(seed: seed, settings: settings, fenceEnabled: true)
    }
}
