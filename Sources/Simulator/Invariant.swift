import Foundation
import SansIO

/// Something that happened inside a node's process, stamped by the engine.
public struct Observation: Sendable {
    /// True time.
    public let time: Instant
    /// The node's local time when it happened.
    public let localTime: Instant
    public let node: Int
    /// What the process emitted (e.g. `SWIM.Event`).
    public let event: any Sendable
}

/// A property that must hold after every event. The engine calls `check` after each processed
/// event with the observations that event produced; the first non-nil answer stops the run.
public protocol Invariant {
    /// Stable name, shown in violation reports.
    var name: String { get }
    /// Returns a description of the violation, or nil when the property still holds.
    mutating func check(after entry: TraceEntry, observations: [Observation], in simulation: Simulation) -> String?
}

/// The first invariant violation of a run, with everything needed to replay and read it.
public struct Violation: Sendable, Error, CustomStringConvertible {
    public let seed: UInt64
    /// True time of the event after which the check failed.
    public let time: Instant
    public let invariant: String
    public let message: String
    /// The last events before the violation, oldest first.
    public let trace: [TraceEntry]

    public var description: String {
        var lines = ["invariant '\(invariant)' violated at \(String(format: "%.6f", time.seconds)) s (seed \(seed)): \(message)"]
        lines.append("last \(trace.count) events:")
        lines += trace.map { "  \($0)" }
        return lines.joined(separator: "\n")
    }
}
