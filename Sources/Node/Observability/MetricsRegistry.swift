import Synchronization

/// The agent's metrics, rendered in the Prometheus text exposition format (version 0.0.4) for
/// `GET /metrics`: counters, gauges and histograms with labels, names prefixed `vantage_` and
/// carrying their unit (`_seconds`, `_total`), each family with its HELP and TYPE lines.
///
/// Families are declared once (``declare(_:)``) and updated from any thread; rendering takes a
/// consistent snapshot. Label values are escaped as the format requires, so no input can break a
/// scrape.
public final class MetricsRegistry: Sendable {
    public enum Kind: String, Sendable {
        case counter, gauge, histogram
    }

    /// One metric family.
    public struct Family: Sendable, Hashable {
        public let name: String
        public let help: String
        public let kind: Kind
        /// Upper bounds of histogram buckets (ascending, `+Inf` implied).
        public let buckets: [Double]

        public init(_ name: String, help: String, kind: Kind, buckets: [Double] = []) {
            precondition(name.hasPrefix("vantage_"), "metric names carry the vantage_ prefix")
            precondition(kind != .counter || name.hasSuffix("_total"), "counter names end in _total")
            self.name = name
            self.help = help
            self.kind = kind
            self.buckets = buckets
        }
    }

    private struct Series: Sendable {
        var value: Double = 0
        var bucketCounts: [UInt64] = []
        var sum: Double = 0
        var count: UInt64 = 0
    }

    private struct State: Sendable {
        var families: [String: Family] = [:]
        var order: [String] = []
        var series: [String: [String: (labels: [String: String], series: Series)]] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// Declares a family; declaring the same family again is harmless.
    public func declare(_ family: Family) {
        state.withLock { state in
            guard state.families[family.name] == nil else { return }
            state.families[family.name] = family
            state.order.append(family.name)
        }
    }

    /// Adds `amount` (≥ 0) to a counter.
    public func increment(_ name: String, by amount: Double = 1, labels: [String: String] = [:]) {
        precondition(amount >= 0, "counters only go up")
        update(name, labels: labels) { series, _ in series.value += amount }
    }

    /// Sets a counter to a running total kept elsewhere (a transport's drop counts); the total
    /// only grows, so the series stays a counter.
    public func setTotal(_ name: String, _ total: Double, labels: [String: String] = [:]) {
        update(name, labels: labels) { series, _ in series.value = max(series.value, total) }
    }

    /// Sets a gauge.
    public func set(_ name: String, _ value: Double, labels: [String: String] = [:]) {
        update(name, labels: labels) { series, _ in series.value = value }
    }

    /// Records one observation in a histogram.
    public func observe(_ name: String, _ value: Double, labels: [String: String] = [:]) {
        update(name, labels: labels) { series, family in
            if series.bucketCounts.isEmpty { series.bucketCounts = Array(repeating: 0, count: family.buckets.count) }
            for (index, bound) in family.buckets.enumerated() where value <= bound { series.bucketCounts[index] += 1 }
            series.sum += value
            series.count += 1
        }
    }

    private func update(_ name: String, labels: [String: String], _ body: (inout Series, Family) -> Void) {
        state.withLock { state in
            guard let family = state.families[name] else { preconditionFailure("metric \(name) was never declared") }
            let key = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{1}")
            var entry = state.series[name]?[key] ?? (labels, Series())
            body(&entry.series, family)
            state.series[name, default: [:]][key] = entry
        }
    }

    /// The exposition text: every family in declaration order, series sorted by labels.
    public func render() -> String {
        state.withLock { state in
            var lines: [String] = []
            for name in state.order {
                let family = state.families[name]!
                lines.append("# HELP \(name) \(Self.escapeHelp(family.help))")
                lines.append("# TYPE \(name) \(family.kind.rawValue)")
                let series = (state.series[name] ?? [:]).sorted { $0.key < $1.key }.map(\.value)
                for (labels, values) in series {
                    switch family.kind {
                    case .counter, .gauge:
                        lines.append("\(name)\(Self.format(labels)) \(Self.format(values.value))")
                    case .histogram:
                        var counts = values.bucketCounts
                        if counts.isEmpty { counts = Array(repeating: 0, count: family.buckets.count) }
                        for (bound, count) in zip(family.buckets, counts) {
                            lines.append("\(name)_bucket\(Self.format(labels, le: Self.format(bound))) \(count)")
                        }
                        lines.append("\(name)_bucket\(Self.format(labels, le: "+Inf")) \(values.count)")
                        lines.append("\(name)_sum\(Self.format(labels)) \(Self.format(values.sum))")
                        lines.append("\(name)_count\(Self.format(labels)) \(values.count)")
                    }
                }
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    static func format(_ labels: [String: String], le: String? = nil) -> String {
        var pairs = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(escapeLabel($0.value))\"" }
        if let le { pairs.append("le=\"\(le)\"") }
        return pairs.isEmpty ? "" : "{" + pairs.joined(separator: ",") + "}"
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// Label values escape backslash, double quote and line feed.
    static func escapeLabel(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    /// HELP text escapes backslash and line feed.
    static func escapeHelp(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }
}
