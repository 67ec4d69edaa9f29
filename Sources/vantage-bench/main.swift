import Foundation

/// Every suite; each lives in its own file.
let suites: [BenchmarkSuite] = [
    BenchmarkSuite(name: "wire", run: runWireBenchmarks),
    configSuite,
    probeSuite,
    simulatorSuite,
    electionSuite,
]

let requested = Set(CommandLine.arguments.dropFirst())
for suite in suites where requested.isEmpty || requested.contains(suite.name) {
    print("## \(suite.name)")
    for figure in try await suite.run() {
        let note = figure.note.isEmpty ? "" : "  (\(figure.note))"
        let name = figure.name.padding(toLength: max(figure.name.count, 72), withPad: " ", startingAt: 0)
        print(name + String(format: " %14.3f ", figure.value) + figure.unit + note)
    }
}
