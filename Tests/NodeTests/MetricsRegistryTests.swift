import Foundation
import Testing
@testable import Node

/// The exposition parses with a parser of our own (text format 0.0.4) and, where Debian's
/// `prometheus` package is installed, passes `promtool check metrics`.
@Suite struct MetricsRegistryTests {
    static func sample() -> MetricsRegistry {
        let registry = MetricsRegistry()
        registry.declare(.init("vantage_datagrams_dropped_total", help: "Datagrams dropped, by reason.", kind: .counter))
        registry.declare(.init("vantage_lease_remaining_seconds", help: "Lease left while leading.", kind: .gauge))
        registry.declare(.init("vantage_check_rtt_seconds", help: "Round-trip time of successful checks.",
                               kind: .histogram, buckets: [0.005, 0.05, 0.5]))
        registry.increment("vantage_datagrams_dropped_total", labels: ["reason": "replay"])
        registry.increment("vantage_datagrams_dropped_total", by: 2, labels: ["reason": "bad \"key\"\n\\"])
        registry.set("vantage_lease_remaining_seconds", 1.25)
        for rtt in [0.004, 0.04, 0.04, 0.9] { registry.observe("vantage_check_rtt_seconds", rtt, labels: ["check": "web"]) }
        return registry
    }

    @Test func exposesFamiliesWithHelpTypeAndEscapedLabels() throws {
        let text = Self.sample().render()
        let samples = try ExpositionParser.parse(text)
        #expect(samples["vantage_datagrams_dropped_total{reason=\"replay\"}"] == 1)
        #expect(samples["vantage_datagrams_dropped_total{reason=\"bad \\\"key\\\"\\n\\\\\"}"] == 2)
        #expect(samples["vantage_lease_remaining_seconds"] == 1.25)
        #expect(samples["vantage_check_rtt_seconds_bucket{check=\"web\",le=\"0.005\"}"] == 1)
        #expect(samples["vantage_check_rtt_seconds_bucket{check=\"web\",le=\"0.05\"}"] == 3)
        #expect(samples["vantage_check_rtt_seconds_bucket{check=\"web\",le=\"+Inf\"}"] == 4)
        #expect(samples["vantage_check_rtt_seconds_count{check=\"web\"}"] == 4)
        #expect(abs((samples["vantage_check_rtt_seconds_sum{check=\"web\"}"] ?? 0) - 0.984) < 1e-9)
    }

    @Test func promtoolAcceptsTheExposition() throws {
        guard let verdict = try Self.promtoolCheck(Self.sample().render()) else { return }
        #expect(verdict.status == 0, "promtool: \(verdict.said)")
    }

    /// `promtool check metrics` on `exposition`: its exit status and what it said, or nil (with
    /// the reason printed) when Debian's prometheus package is not installed.
    static func promtoolCheck(_ exposition: String) throws -> (status: Int32, said: String)? {
        guard let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first(where: FileManager.default.isExecutableFile) else {
            print("skipped: promtool not installed (Debian package prometheus)")
            return nil
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: promtool)
        process.arguments = ["check", "metrics"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(exposition.utf8))
        try input.fileHandleForWriting.close()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, said)
    }

    @Test func theParserRejectsWhatTheFormatForbids() {
        #expect(throws: ExpositionParser.Failure.self) { try ExpositionParser.parse("vantage_x_total 1\n") }  // no TYPE
        #expect(throws: ExpositionParser.Failure.self) {
            try ExpositionParser.parse("# TYPE vantage_x_total counter\nvantage_x_total{a=\"b} 1\n")
        }
        #expect(throws: ExpositionParser.Failure.self) { try ExpositionParser.parse("# TYPE vantage_x gauge\nvantage_x one\n") }
    }
}

/// A strict reader of the text exposition format: every sample belongs to a family whose TYPE came
/// first, label values are quoted with only `\\`, `\"` and `\n` escapes, values are numbers.
enum ExpositionParser {
    struct Failure: Error { let line: String }

    /// Samples by their exact series text (`name{labels}`).
    static func parse(_ text: String) throws -> [String: Double] {
        var types: [String: String] = [:]
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                guard parts.count == 4, ["counter", "gauge", "histogram"].contains(parts[3]) else { throw Failure(line: line) }
                types[String(parts[2])] = String(parts[3])
                continue
            }
            if line.hasPrefix("#") { continue }
            guard let space = line.lastIndex(of: " ") else { throw Failure(line: line) }
            let series = String(line[..<space]), valueText = String(line[line.index(after: space)...])
            guard let value = Double(valueText.replacingOccurrences(of: "+Inf", with: "inf")) else { throw Failure(line: line) }
            var name = series
            if let brace = series.firstIndex(of: "{") {
                name = String(series[..<brace])
                guard series.hasSuffix("}"), validLabels(String(series[series.index(after: brace)..<series.index(before: series.endIndex)])) else {
                    throw Failure(line: line)
                }
            }
            let family = ["_bucket", "_sum", "_count"].reduce(name) { name, suffix in
                name.hasSuffix(suffix) && types[String(name.dropLast(suffix.count))] == "histogram" ? String(name.dropLast(suffix.count)) : name
            }
            guard types[family] != nil else { throw Failure(line: line) }
            samples[series] = value
        }
        return samples
    }

    private static func validLabels(_ text: String) -> Bool {
        var characters = Array(text)[...]
        while !characters.isEmpty {
            guard let equals = characters.firstIndex(of: "="), equals > characters.startIndex,
                  characters[characters.startIndex..<equals].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }),
                  characters.indices.contains(equals + 1), characters[equals + 1] == "\"" else { return false }
            var index = equals + 2
            var closed = false
            while index < characters.endIndex {
                if characters[index] == "\\" {
                    guard index + 1 < characters.endIndex, ["\\", "\"", "n"].contains(characters[index + 1]) else { return false }
                    index += 2
                } else if characters[index] == "\"" {
                    closed = true
                    break
                } else {
                    index += 1
                }
            }
            guard closed else { return false }
            characters = characters[(index + 1)...]
            if characters.first == "," { characters = characters.dropFirst() } else if !characters.isEmpty { return false }
        }
        return true
    }
}
