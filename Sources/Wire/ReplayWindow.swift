/// Replay protection (DESIGN.md, "Protocol"): every sender stamps `(bootEpoch, sequence)`, and a
/// receiver accepts each stamp at most once, within a sliding window of the last
/// `windowSize` sequence numbers of the sender's newest epoch (the anti-replay window of RFC 4303
/// §3.4.3, extended with a boot epoch so a restarted sender, whose sequence starts over, is heard).
///
/// State is kept per sender name for at most `maximumSenders` senders, so a flood of names cannot
/// grow memory without bound; once full, new names are rejected (`.tooManySenders`).
/// Only check stamps of authenticated envelopes: an accepted stamp moves the window.
public struct ReplayWindow: Sendable {
    /// How many sequence numbers behind the highest one are still accepted (once each).
    public static let windowSize: UInt64 = 64

    /// The outcome of `check`.
    public enum Verdict: Equatable, Sendable {
        /// New stamp; the envelope should be processed.
        case accept
        /// Already seen in this epoch.
        case duplicate
        /// Older than the window of the sender's current epoch.
        case stale
        /// From an epoch older than the sender's newest one (a previous process lifetime).
        case staleEpoch
        /// An unknown sender while the table is full.
        case tooManySenders

        /// A short, stable label for drop counters.
        public var reason: String {
            switch self {
            case .accept: "accept"
            case .duplicate: "duplicate"
            case .stale: "stale"
            case .staleEpoch: "stale_epoch"
            case .tooManySenders: "too_many_senders"
            }
        }
    }

    private struct SenderState: Sendable {
        var bootEpoch: UInt64
        var highest: UInt64
        /// Bit `n` set: sequence `highest - n` was seen.
        var seen: UInt64
    }

    /// The most senders tracked at once.
    public let maximumSenders: Int
    private var senders: [String: SenderState] = [:]

    public init(maximumSenders: Int = 256) {
        self.maximumSenders = maximumSenders
    }

    /// Number of senders currently tracked.
    public var senderCount: Int { senders.count }

    /// Judges `(bootEpoch, sequence)` from `sender` and records it when accepted.
    public mutating func check(sender: String, bootEpoch: UInt64, sequence: UInt64) -> Verdict {
        guard var state = senders[sender] else {
            guard senders.count < maximumSenders else { return .tooManySenders }
            senders[sender] = SenderState(bootEpoch: bootEpoch, highest: sequence, seen: 1)
            return .accept
        }
        if bootEpoch < state.bootEpoch { return .staleEpoch }
        if bootEpoch > state.bootEpoch {
            senders[sender] = SenderState(bootEpoch: bootEpoch, highest: sequence, seen: 1)
            return .accept
        }
        if sequence > state.highest {
            let shift = sequence - state.highest
            state.seen = shift >= Self.windowSize ? 1 : (state.seen << shift) | 1
            state.highest = sequence
        } else {
            let age = state.highest - sequence
            guard age < Self.windowSize else { return .stale }
            let bit: UInt64 = 1 << age
            guard state.seen & bit == 0 else { return .duplicate }
            state.seen |= bit
        }
        senders[sender] = state
        return .accept
    }

    /// Forgets `sender` (for example when it leaves the cluster), freeing its slot.
    public mutating func forget(sender: String) {
        senders[sender] = nil
    }
}
