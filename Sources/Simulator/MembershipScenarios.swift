import Membership
import SansIO

/// The membership scenarios of issue 3. All run the real SWIM instance behind the real envelope
/// codec over the simulated WAN (9 nodes in 3 regions by default).
extension Scenario {
    /// Stream tag for the scenario's own choices (which node crashes, which region is cut...).
    static let scenarioStream: UInt64 = 0x5CE7_A210

    /// Time for a cluster of `nodes` to form before faults or measurements start.
    static func warmUp(nodes: Int) -> Duration {
        .seconds(max(20, 5 * Int(Double(nodes).squareRoot().rounded(.up))))
    }

    static func cluster(_ settings: Settings, swim: SWIM.Settings = SWIM.Settings()) -> MembershipCluster {
        MembershipCluster(configuration: SimulationConfiguration(nodeCount: settings.nodes,
                                                                 conditions: LinkConditions(loss: settings.loss)),
                          settings: swim)
    }

    /// Steady state: protocol cost per member, which SWIM keeps constant as the cluster grows (SWIM §1, §5).
    public static let steady = Scenario(
        name: "steady", summary: "no faults; messages and bytes per member, false dead",
        defaultDuration: .seconds(60)
    ) { seed, settings in
        let swim = SWIM.Settings()
        let simulation = cluster(settings, swim: swim).simulation(seed: seed)
        let tally = MembershipTally(simulation)
        simulation.run(until: .zero + warmUp(nodes: settings.nodes))
        let datagramsBefore = simulation.sentDatagrams.reduce(0, +), bytesBefore = simulation.sentBytes.reduce(0, +)
        simulation.run(for: settings.duration)
        let members = Double(settings.nodes), seconds = settings.duration.seconds
        let periods = seconds / swim.probeInterval.seconds
        let datagrams = Double(simulation.sentDatagrams.reduce(0, +) - datagramsBefore)
        let bytes = Double(simulation.sentBytes.reduce(0, +) - bytesBefore)
        return ScenarioRun(simulation, measurements: [
            Measurement("messages_per_member_per_period", datagrams / members / periods, .mean),
            Measurement("bytes_per_member_per_second", bytes / members / seconds, .mean),
            Measurement("false_dead", Double(tally.falseDead), .sum),
        ])
    }

    /// One member crashes after the cluster formed: time to first suspicion and until every
    /// running member holds it dead (SWIM §4.1 detection, Lifeguard §4 suspicion timeouts).
    public static let crashMember = Scenario(
        name: "crash-member", summary: "one member crashes; first_suspect_s and dead_detected_all_s",
        defaultDuration: .seconds(60)
    ) { seed, settings in
        var random = SeededGenerator(seed: seed).derived(stream: scenarioStream)
        let simulation = cluster(settings).simulation(seed: seed)
        let tally = MembershipTally(simulation)
        let crashed = Int.random(in: 0..<settings.nodes, using: &random)
        tally.watched = crashed
        let crashTime = Instant.zero + warmUp(nodes: settings.nodes)
        simulation.schedule(.crash(node: crashed), at: crashTime)
        let end = crashTime + settings.duration
        simulation.run(until: crashTime)
        while simulation.violation == nil, tally.deadEverywhere == nil, simulation.now < end {
            simulation.run(until: min(simulation.now + .seconds(1), end))
        }
        let cap = settings.duration.seconds
        return ScenarioRun(simulation, measurements: [
            Measurement("first_suspect_s", tally.firstSuspect.map { ($0 - crashTime).seconds } ?? cap, .distribution),
            Measurement("dead_detected_all_s", tally.deadEverywhere.map { ($0 - crashTime).seconds } ?? cap,
                        .distribution),
            Measurement("undetected", tally.deadEverywhere == nil ? 1 : 0, .sum),
        ])
    }

    /// Uniform loss on every link (10 % by default) for an hour: no running member may be declared dead.
    public static let lossy = Scenario(
        name: "lossy", summary: "uniform loss (default 10 %); false_dead and suspicions",
        defaultDuration: .seconds(3_600), defaultLoss: 0.1
    ) { seed, settings in
        let simulation = cluster(settings).simulation(seed: seed)
        let tally = MembershipTally(simulation)
        simulation.run(until: .zero + settings.duration)
        return ScenarioRun(simulation, measurements: [
            Measurement("false_dead", Double(tally.falseDead), .sum),
            Measurement("suspicions", Double(tally.suspicions), .sum),
        ])
    }

    /// A region is cut off for 60 s, then the network heals: time until every running member
    /// sees every running member alive again.
    public static let partitionHeal = Scenario(
        name: "partition-heal", summary: "a region cut off for 60 s, then healed; reconverge_s",
        defaultDuration: .seconds(60)
    ) { seed, settings in
        var random = SeededGenerator(seed: seed).derived(stream: scenarioStream)
        let base = cluster(settings)
        let simulation = base.simulation(seed: seed)
        let region = Int.random(in: 0..<base.configuration.latency.regionCount, using: &random)
        let cuts = Cut.isolating(.region(region))
        let cutTime = Instant.zero + warmUp(nodes: settings.nodes), healTime = cutTime + .seconds(60)
        simulation.schedule(.cut(cuts), at: cutTime)
        simulation.schedule(.heal, at: healTime)
        simulation.run(until: healTime)
        let end = healTime + settings.duration
        var converged: Instant?
        while simulation.violation == nil, simulation.now < end {
            simulation.run(until: min(simulation.now + .milliseconds(100), end))
            if MembershipTally.converged(simulation) { converged = simulation.now; break }
        }
        return ScenarioRun(simulation, measurements: [
            Measurement("reconverge_s", converged.map { ($0 - healTime).seconds } ?? settings.duration.seconds,
                        .distribution),
            Measurement("unconverged", converged == nil ? 1 : 0, .sum),
        ])
    }

    /// One member's process stalls for 2–5 s (a GC or VM pause) and then handles its backlog;
    /// the same seed runs with Lifeguard's local health multiplier on and off (Lifeguard §4.3).
    public static let pause = Scenario(
        name: "pause", summary: "one member stalls 2-5 s; false suspicions with and without local health",
        defaultDuration: .seconds(30)
    ) { seed, settings in
        var random = SeededGenerator(seed: seed).derived(stream: scenarioStream)
        let paused = Int.random(in: 0..<settings.nodes, using: &random)
        let stall = Duration.milliseconds(Int.random(in: 2_000...5_000, using: &random))
        let pauseTime = Instant.zero + warmUp(nodes: settings.nodes)
        var measurements: [Measurement] = []
        var runs: [Simulation] = []
        for localHealth in [true, false] {
            var swim = SWIM.Settings()
            swim.localHealthEnabled = localHealth
            let simulation = cluster(settings, swim: swim).simulation(seed: seed)
            let tally = MembershipTally(simulation)
            tally.excluded = paused
            simulation.schedule(.pause(node: paused, duration: stall), at: pauseTime)
            simulation.run(until: pauseTime + settings.duration)
            let suffix = localHealth ? "lhm_on" : "lhm_off"
            measurements += [
                Measurement("false_suspicions_" + suffix, Double(tally.suspicionsOfOthers), .sum),
                Measurement("suspicions_" + suffix, Double(tally.suspicions), .sum),
                Measurement("false_dead_" + suffix, Double(tally.falseDead), .sum),
            ]
            runs.append(simulation)
        }
        return ScenarioRun(seed: seed, simulatedSeconds: runs.reduce(0) { $0 + $1.now.seconds },
                           events: runs.reduce(0) { $0 + $1.eventsProcessed },
                           traceHash: runs.reduce(FNV1a.offsetBasis) { FNV1a.mixWord($0, $1.traceHash) },
                           violation: runs.lazy.compactMap(\.violation).first, measurements: measurements)
    }

    /// Random faults drawn from the seed (`SwarmPlan`); only the invariants are checked.
    public static let swarm = Scenario(
        name: "swarm", summary: "random loss, duplication, reordering, partitions, crashes, pauses; invariants only",
        defaultDuration: .seconds(300)
    ) { seed, settings in
        let base = cluster(settings)
        let simulation = base.simulation(seed: seed)
        let plan = SwarmPlan(generator: SeededGenerator(seed: seed).derived(stream: scenarioStream),
                             nodeCount: settings.nodes, regionCount: base.configuration.latency.regionCount,
                             warmUp: .seconds(10), duration: settings.duration)
        plan.apply(to: simulation)
        simulation.run(until: .zero + settings.duration)
        return ScenarioRun(simulation, measurements: [Measurement("faults", Double(plan.faults.count), .sum)])
    }
}
