import Foundation

/// Every suite; each lives in its own file.
let suites: [BenchmarkSuite] = [
    simulatorSuite,
]

let requested = Set(CommandLine.arguments.dropFirst())
for suite in suites where requested.isEmpty || requested.contains(suite.name) {
    print("## \(suite.name)")
    for figure in try await suite.run() {
        let note = figure.note.isEmpty ? "" : "  (\(figure.note))"
        print(String(format: "%-60@ %14.3f %@%@", figure.name as NSString, figure.value, figure.unit, note))
    }
}
