import Foundation

/// Every suite; each lives in its own file.
let suites: [BenchmarkSuite] = [
    BenchmarkSuite(name: "wire", run: runWireBenchmarks),
    configSuite,
    probeSuite,
    simulatorSuite,
    electionSuite,
    httpSuite,
]

/// Suites that only mean something in a process of their own; run only when named.
let aloneSuites: [BenchmarkSuite] = [httpIdleSuite]

let requested = Set(CommandLine.arguments.dropFirst())
for suite in suites + aloneSuites where requested.contains(suite.name) || (requested.isEmpty && !aloneSuites.contains { $0.name == suite.name }) {
    print("## \(suite.name)")
    for figure in try await suite.run() {
        let note = figure.note.isEmpty ? "" : "  (\(figure.note))"
        let name = figure.name.padding(toLength: max(figure.name.count, 72), withPad: " ", startingAt: 0)
        print(name + String(format: " %14.3f ", figure.value) + figure.unit + note)
    }
}
