import Foundation
import SansIO

/// What one scenario run over one seed produced.
public struct ScenarioRun: Sendable {
    public let seed: UInt64
    public let simulatedSeconds: Double
    public let events: Int
    public let traceHash: UInt64
    public let violation: Violation?
    /// Named per-seed figures, aggregated over seeds by `ScenarioReport`.
    public let measurements: [Measurement]

    public init(seed: UInt64, simulatedSeconds: Double, events: Int, traceHash: UInt64, violation: Violation?,
                measurements: [Measurement]) {
        self.seed = seed
        self.simulatedSeconds = simulatedSeconds
        self.events = events
        self.traceHash = traceHash
        self.violation = violation
        self.measurements = measurements
    }

    /// The run's trace hash and measurements, from a finished simulation.
    public init(_ simulation: Simulation, measurements: [Measurement]) {
        self.init(seed: simulation.seed, simulatedSeconds: simulation.now.seconds, events: simulation.eventsProcessed,
                  traceHash: simulation.traceHash, violation: simulation.violation, measurements: measurements)
    }
}

/// One named figure of one seed, with how it combines across seeds.
public struct Measurement: Sendable, Equatable {
    public enum Aggregation: Sendable, Equatable {
        /// Reported as `<name>_p50`, `<name>_p99`, `<name>_max` (e.g. detection times).
        case distribution
        /// Reported as the total over seeds (e.g. false dead declarations).
        case sum
        /// Reported as the mean over seeds (e.g. messages per member per period).
        case mean
    }

    public let name: String
    public let value: Double
    public let aggregation: Aggregation

    public init(_ name: String, _ value: Double, _ aggregation: Aggregation) {
        self.name = name
        self.value = value
        self.aggregation = aggregation
    }
}

/// A scenario's result over all its seeds; `vantage simulate --json` prints it.
public struct ScenarioReport: Sendable, Encodable {
    public let scenario: String
    public let nodes: Int
    public let seeds: Int
    public let simulatedSeconds: Double
    /// Measured by the caller (the CLI or a benchmark); the engine never reads a clock.
    public let wallSeconds: Double
    public let events: Int
    public let violations: [String]
    /// The trace hash when exactly one seed ran.
    public let traceHash: String?
    public let metrics: [String: Double]

    public var speedup: Double { wallSeconds > 0 ? simulatedSeconds / wallSeconds : 0 }

    public init(scenario: String, nodes: Int, runs: [ScenarioRun], wallSeconds: Double) {
        self.scenario = scenario
        self.nodes = nodes
        seeds = runs.count
        simulatedSeconds = runs.reduce(0) { $0 + $1.simulatedSeconds }
        self.wallSeconds = wallSeconds
        events = runs.reduce(0) { $0 + $1.events }
        violations = runs.compactMap { $0.violation.map(\.description) }
        traceHash = runs.count == 1 ? String(format: "%016llx", runs[0].traceHash) : nil
        metrics = Self.aggregate(runs.flatMap(\.measurements))
    }

    /// Combines per-seed measurements by name, in first-seen name order.
    static func aggregate(_ measurements: [Measurement]) -> [String: Double] {
        var byName: [String: (aggregation: Measurement.Aggregation, values: [Double])] = [:]
        for measurement in measurements {
            byName[measurement.name, default: (measurement.aggregation, [])].values.append(measurement.value)
        }
        var metrics: [String: Double] = [:]
        for (name, entry) in byName {
            switch entry.aggregation {
            case .sum: metrics[name] = entry.values.reduce(0, +)
            case .mean: metrics[name] = entry.values.reduce(0, +) / Double(entry.values.count)
            case .distribution:
                metrics[name + "_p50"] = Statistics.percentile(50, of: entry.values)
                metrics[name + "_p99"] = Statistics.percentile(99, of: entry.values)
                metrics[name + "_max"] = entry.values.max()
            }
        }
        return metrics
    }

    enum CodingKeys: String, CodingKey {
        case scenario, nodes, seeds, simulatedSeconds = "simulated_seconds", wallSeconds = "wall_seconds", speedup,
             events, violations, traceHash = "trace_hash", metrics
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(scenario, forKey: .scenario)
        try container.encode(nodes, forKey: .nodes)
        try container.encode(seeds, forKey: .seeds)
        try container.encode(simulatedSeconds, forKey: .simulatedSeconds)
        try container.encode(wallSeconds, forKey: .wallSeconds)
        try container.encode(speedup, forKey: .speedup)
        try container.encode(events, forKey: .events)
        try container.encode(violations, forKey: .violations)
        try container.encodeIfPresent(traceHash, forKey: .traceHash)
        try container.encode(metrics, forKey: .metrics)
    }
}
