import SansIO

/// Randomly drawn faults for one swarm run, after TigerBeetle's VOPR: the fault *parameters*
/// themselves come from the seed, so many seeds explore many different worlds.
///
/// Per seed: uniform loss in 0–30 %, duplication 0–50 %, reordering 0–30 %; up to three
/// partition episodes (a node or a region cut off, a one-way cut, or a symmetric split) of
/// 5–60 s; up to two crashes, each restarted after 5–60 s or left down; up to three pauses of
/// 1–8 s. Faults start after a warm-up so the cluster first forms.
public struct SwarmPlan: Sendable {
    public var conditions: LinkConditions
    public var faults: [(time: Instant, fault: Fault)]

    public init(generator: SeededGenerator, nodeCount: Int, regionCount: Int, warmUp: Duration, duration: Duration) {
        var random = generator
        conditions = LinkConditions(loss: 0.3 * random.nextUnit(), duplication: 0.5 * random.nextUnit(),
                                    reordering: 0.3 * random.nextUnit())
        faults = []
        let window = max(duration - warmUp, .seconds(1))
        func instant(_ random: inout SeededGenerator) -> Instant {
            .zero + warmUp + window.scaled(by: random.nextUnit())
        }
        func length(_ random: inout SeededGenerator, _ range: ClosedRange<Int>) -> Duration {
            .milliseconds(Int.random(in: range.lowerBound * 1_000...range.upperBound * 1_000, using: &random))
        }
        func someNodes(_ random: inout SeededGenerator) -> Set<Int> {
            let count = Int.random(in: 1...max(1, nodeCount / 2), using: &random)
            var chosen: Set<Int> = []
            while chosen.count < count { chosen.insert(Int.random(in: 0..<nodeCount, using: &random)) }
            return chosen
        }
        for _ in 0..<Int.random(in: 0...3, using: &random) {
            let cuts: [Cut]
            switch Int.random(in: 0..<4, using: &random) {
            case 0: cuts = Cut.isolating(.nodes([Int.random(in: 0..<nodeCount, using: &random)]))
            case 1: cuts = Cut.isolating(.region(Int.random(in: 0..<regionCount, using: &random)))
            case 2: cuts = [Cut(from: .nodes(someNodes(&random)), to: .nodes(someNodes(&random)))]
            default: cuts = Cut.isolating(.nodes(someNodes(&random)))
            }
            let start = instant(&random)
            faults.append((start, .cut(cuts)))
            faults.append((start + length(&random, 5...60), .uncut(cuts)))
        }
        for _ in 0..<Int.random(in: 0...2, using: &random) {
            let node = Int.random(in: 0..<nodeCount, using: &random)
            let start = instant(&random)
            faults.append((start, .crash(node: node)))
            if random.nextUnit() < 0.7 { faults.append((start + length(&random, 5...60), .restart(node: node))) }
        }
        for _ in 0..<Int.random(in: 0...3, using: &random) {
            faults.append((instant(&random), .pause(node: Int.random(in: 0..<nodeCount, using: &random),
                                                     duration: length(&random, 1...8))))
        }
    }

    /// Schedules the plan's faults and sets its link conditions.
    public func apply(to simulation: Simulation) {
        simulation.network.conditions = conditions
        for (time, fault) in faults { simulation.schedule(fault, at: time) }
    }
}
