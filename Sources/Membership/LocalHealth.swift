/// Lifeguard's local health multiplier (Lifeguard §4.3): a saturating score that rises when this
/// node shows signs of being the slow one (missed acks, missed nacks, refuting suspicion about
/// itself, waking up late) and falls on every successful probe. Probe interval and timeout are
/// scaled by `score + 1`.
struct LocalHealth: Sendable {
    let maximum: Int
    let enabled: Bool
    private(set) var score = 0

    init(maximum: Int, enabled: Bool) {
        self.maximum = maximum
        self.enabled = enabled
    }

    /// The factor probe interval and timeout are multiplied by.
    var multiplier: Int { score + 1 }

    mutating func worsen() { if enabled { score = min(maximum, score + 1) } }
    mutating func improve() { score = max(0, score - 1) }
}
