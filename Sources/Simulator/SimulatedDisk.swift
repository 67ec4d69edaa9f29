import Synchronization

/// A node's stable storage: what a process persisted survives a crash and restart; everything
/// else the process held is lost.
///
/// Writes are durable as soon as `write` returns (the simulated fsync cannot fail); the Raft
/// election persists `(currentTerm, votedFor)` here, through a `TermStore` adapter, before it
/// answers a vote. Sendable (the cores' stores must be), though the simulator uses it from one thread.
public final class SimulatedDisk: Sendable {
    private let files = Mutex<[String: [UInt8]]>([:])
    private let writes = Mutex(0)

    public init() {}

    public func read(_ key: String) -> [UInt8]? { files.withLock { $0[key] } }

    public func write(_ key: String, _ bytes: [UInt8]) {
        files.withLock { $0[key] = bytes }
        writes.withLock { $0 += 1 }
    }

    public func remove(_ key: String) { _ = files.withLock { $0.removeValue(forKey: key) } }

    /// Number of completed writes, for tests and metrics.
    public var writeCount: Int { writes.withLock { $0 } }
}
