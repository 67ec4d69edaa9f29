/// How the network treats datagrams on a link, apart from its base latency.
///
/// Probabilities are per datagram and independent, drawn from the link's own random stream.
public struct LinkConditions: Sendable, Equatable {
    /// Probability a datagram is lost.
    public var loss: Double
    /// Probability a delivered datagram arrives twice (the copy has its own delay).
    public var duplication: Double
    /// Probability a datagram is held back by an extra delay of up to `reorderDelay`, so later
    /// datagrams on the same link overtake it.
    public var reordering: Double
    /// Maximum extra delay of a reordered datagram, as a multiple of the link's one-way delay.
    public var reorderDelayFactor: Double
    /// Uniform jitter added to every datagram, as a fraction of the one-way delay.
    public var jitterFactor: Double

    public init(loss: Double = 0, duplication: Double = 0, reordering: Double = 0,
                reorderDelayFactor: Double = 2, jitterFactor: Double = 0.1) {
        self.loss = loss
        self.duplication = duplication
        self.reordering = reordering
        self.reorderDelayFactor = reorderDelayFactor
        self.jitterFactor = jitterFactor
    }

    /// No loss, duplication or reordering; 10 % jitter.
    public static let clean = LinkConditions()
}
