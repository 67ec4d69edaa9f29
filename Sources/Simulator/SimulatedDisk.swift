/// A node's stable storage: what a process persisted survives a crash and restart; everything
/// else the process held is lost.
///
/// Writes are durable as soon as `write` returns (the simulated fsync cannot fail); the Raft
/// election stores `(currentTerm, votedFor)` here before it answers a vote.
public final class SimulatedDisk {
    private var files: [String: [UInt8]] = [:]
    /// Number of completed writes, for tests and metrics.
    public private(set) var writeCount = 0

    public init() {}

    public func read(_ key: String) -> [UInt8]? { files[key] }

    public func write(_ key: String, _ bytes: [UInt8]) {
        files[key] = bytes
        writeCount += 1
    }

    public func remove(_ key: String) { files[key] = nil }
}
