/// The two values Raft must never forget (thesis §3.8, Figure 3.1): the latest term this node has
/// seen and the candidate it voted for in that term. Made durable (``ElectionDirective/persist(_:)``)
/// before any message that depends on it is sent, so neither goes backwards across restarts.
public struct PersistentState: Equatable, Sendable, Codable {
    public var currentTerm: UInt64
    public var votedFor: String?

    public init(currentTerm: UInt64, votedFor: String?) {
        self.currentTerm = currentTerm
        self.votedFor = votedFor
    }

    /// A node that has never stored anything: term 0, no vote.
    public static let initial = PersistentState(currentTerm: 0, votedFor: nil)
}
