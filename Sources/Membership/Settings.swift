import SansIO

/// The membership protocol's namespace.
public enum SWIM {}

extension SWIM {
    /// Protocol parameters; the defaults suit a WAN of three regions (DESIGN.md "Defaults").
    public struct Settings: Sendable, Equatable {
        /// The protocol period T' (SWIM §3.1), before the local health multiplier.
        public var probeInterval: Duration = .seconds(1)
        /// Time to wait for a direct ack before asking others (SWIM §3.1); ≥ p99 WAN RTT.
        public var probeTimeout: Duration = .milliseconds(500)
        /// Members asked to probe indirectly with ping-req (SWIM §3.1, k).
        public var indirectProbes = 3
        /// Lifeguard §4.2 dynamic suspicion timeout bounds.
        public var suspicionMin: Duration = .seconds(3)
        public var suspicionMax: Duration = .seconds(15)
        /// Independent confirmations K after which the suspicion timeout reaches `suspicionMin`
        /// (Lifeguard §4.2).
        public var confirmations = 3
        /// λ: each gossip update is piggybacked λ·⌈log₁₀(n+1)⌉ times (SWIM §4.1).
        public var retransmitMultiplier = 4
        /// Highest local health multiplier score (Lifeguard §4.3, S).
        public var localHealthMax = 8
        /// Lifeguard's local health multiplier; off only to compare (pause scenario).
        public var localHealthEnabled = true
        /// How often configured seeds that are not alive in this view are pinged again, so a node
        /// cut off by a partition finds its way back.
        public var rejoinInterval: Duration = .seconds(1)
        /// How long dead and left members are remembered so old gossip cannot revive them.
        public var tombstoneLifetime: Duration = .seconds(86_400)
        /// Test-only: when false a node never refutes suspicion about itself, so running members
        /// get declared dead. Exists to prove the simulator's false-dead check bites.
        public var refutationEnabled = true

        public init() {}
    }
}
