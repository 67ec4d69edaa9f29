/// "Did you mean …?" for unknown keys: the closest known key by Levenshtein distance, when it is
/// close enough to be a typo.
enum EditDistance {
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }

    /// The known key nearest to `key`, if within a third of its length (at least 2 edits).
    static func suggestion(for key: String, among known: some Sequence<String>) -> String? {
        let best = known.map { ($0, distance(key.lowercased(), $0.lowercased())) }.min { ($0.1, $0.0) < ($1.1, $1.0) }
        guard let best, best.1 <= max(2, key.count / 3) else { return nil }
        return best.0
    }
}
