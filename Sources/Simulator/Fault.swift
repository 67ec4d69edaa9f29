/// A change to the simulated world, applied at a scheduled true time.
public enum Fault: Sendable, Equatable, CustomStringConvertible {
    /// The node stops; every volatile byte of its process is lost, its disk survives.
    case crash(node: Int)
    /// The node boots again with a new boot epoch and a fresh process (no-op if it is up).
    case restart(node: Int)
    /// The process stops handling events for `duration`, then handles the backlog.
    case pause(node: Int, duration: Duration)
    /// Adds one-way cuts (see `Cut.symmetric` and `Cut.isolating`).
    case cut([Cut])
    /// Removes these cuts.
    case uncut([Cut])
    /// Removes every cut.
    case heal
    /// Replaces the default link conditions (loss, duplication, reordering, jitter).
    case conditions(LinkConditions)
    /// Replaces how every node's disk behaves from now on (writes already in flight keep theirs).
    case disk(DiskConditions)

    public var description: String {
        switch self {
        case .crash(let node): "crash node-\(node)"
        case .restart(let node): "restart node-\(node)"
        case .pause(let node, let duration): "pause node-\(node) for \(duration)"
        case .cut(let cuts): "cut \(cuts)"
        case .uncut(let cuts): "uncut \(cuts)"
        case .heal: "heal"
        case .conditions(let c):
            "conditions loss=\(c.loss) duplication=\(c.duplication) reordering=\(c.reordering)"
        case .disk(let d):
            "disk latency=\(d.latency) slow=\(d.slowProbability)×\(d.slowLatency) failure=\(d.failureProbability)"
        }
    }
}
