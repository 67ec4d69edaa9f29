/// Durations as operators write them: `800ms`, `1s`, `1.5s`, `2m`, `1h` (a bare number is seconds).
public enum DurationText {
    /// The duration `text` names, or nil; zero and negative durations are refused.
    public static func parse(_ text: String) -> Duration? {
        let units: [(suffix: String, nanoseconds: Double)] = [("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3_600e9)]
        for unit in units where text.hasSuffix(unit.suffix) {
            guard let value = Double(text.dropLast(unit.suffix.count)), value > 0, value.isFinite else { return nil }
            return .nanoseconds(Int64(value * unit.nanoseconds))
        }
        guard let seconds = Double(text), seconds > 0, seconds.isFinite else { return nil }
        return .nanoseconds(Int64(seconds * 1e9))
    }

    /// The shortest exact spelling (`800ms`, `30s`, `2m`), for printing the effective config.
    public static func format(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1_000 + duration.components.attoseconds / 1_000_000_000_000_000
        if milliseconds % 3_600_000 == 0 { return "\(milliseconds / 3_600_000)h" }
        if milliseconds % 60_000 == 0 { return "\(milliseconds / 60_000)m" }
        if milliseconds % 1_000 == 0 { return "\(milliseconds / 1_000)s" }
        return "\(milliseconds)ms"
    }
}
