/// Order statistics for reports (nearest-rank percentiles, as latency SLOs are usually stated).
public enum Statistics {
    /// The `p`-th percentile (0...100) of `values` by nearest rank; nil when empty.
    public static func percentile(_ p: Double, of values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
