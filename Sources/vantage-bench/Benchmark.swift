import Foundation

/// One measured figure, printed as a row of BENCHMARKS.md.
struct Figure {
    let name: String
    let value: Double
    let unit: String
    var note: String = ""
}

/// A named group of measurements; `vantage-bench [SUITE…]` runs the named ones (all by default).
struct BenchmarkSuite {
    let name: String
    let run: () async throws -> [Figure]
}

/// Wall-clock seconds taken by `body` (benchmarks only; cores never read clocks).
func measureSeconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// A memory line of `/proc/PROCESS/status` (`VmRSS`, `VmHWM`) in MiB; `process` is a pid or `self`.
func residentMiB(_ key: String, of process: String = "self") -> Double {
    let status = (try? String(contentsOfFile: "/proc/\(process)/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("\(key):") } ?? ""
    return (Double(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1_024
}
