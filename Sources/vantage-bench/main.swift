import Foundation
import Node

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
let aloneSuites: [BenchmarkSuite] = [httpIdleSuite, monitorSuite]

let usage = """
    usage: vantage-bench [SUITE...]

    Runs the named suites (all of them without a name) and prints one row per figure.
    suites: \(suites.map(\.name).joined(separator: ", ")); run only when named: \(aloneSuites.map(\.name).joined(separator: ", "))
    """

/// The suites the command line names, or a usage error (`--help` is reported as nil).
@MainActor func requestedSuites(_ arguments: [String]) throws(UsageError) -> [BenchmarkSuite]? {
    var cursor = ArgumentCursor(arguments, shortNames: ["h": "help"])
    var names: [String] = []
    while let item = cursor.next() {
        switch item {
        case .option("help", nil): return nil
        case .option(let name, _): throw ArgumentCursor.unknown(name)
        case .positional(let name):
            if name.hasPrefix("-") { throw ArgumentCursor.unexpected(name) }
            guard (suites + aloneSuites).contains(where: { $0.name == name }) else { throw UsageError("unknown suite '\(name)'") }
            names.append(name)
        }
    }
    return names.isEmpty ? suites : (suites + aloneSuites).filter { names.contains($0.name) }
}

let selected: [BenchmarkSuite]
do {
    guard let requested = try requestedSuites(Array(CommandLine.arguments.dropFirst())) else {
        print(usage)
        exit(0)
    }
    selected = requested
} catch {
    FileHandle.standardError.write(Data("vantage-bench: \(error.message)\n\n\(usage)\n".utf8))
    exit(2)
}
for suite in selected {
    print("## \(suite.name)")
    for figure in try await suite.run() {
        let note = figure.note.isEmpty ? "" : "  (\(figure.note))"
        let name = figure.name.padding(toLength: max(figure.name.count, 72), withPad: " ", startingAt: 0)
        print(name + String(format: " %14.3f ", figure.value) + figure.unit + note)
    }
}
