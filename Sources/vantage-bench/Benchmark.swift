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
