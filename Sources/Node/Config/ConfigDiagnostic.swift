import TOML

/// One finding about a configuration file: where (`file:line:column`), which key, and what is
/// wrong or different. Errors stop the agent; warnings are printed and it starts.
public struct ConfigDiagnostic: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: Sendable, Equatable { case error, warning }

    public var severity: Severity
    public var file: String
    public var position: TOMLPosition?
    /// The key path (`cluster.peers`, `check[2].timeout`).
    public var key: String
    public var message: String

    public init(_ severity: Severity, file: String, position: TOMLPosition?, key: String, message: String) {
        self.severity = severity
        self.file = file
        self.position = position
        self.key = key
        self.message = message
    }

    public var description: String {
        let place = position.map { "\(file):\($0.line):\($0.column)" } ?? file
        let label = severity == .warning ? "warning: " : ""
        return key.isEmpty ? "\(place): \(label)\(message)" : "\(place): \(label)\(key): \(message)"
    }
}

/// Every error found in a configuration (all of them, not just the first).
public struct ConfigErrors: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [ConfigDiagnostic]

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Collects diagnostics while a configuration is read, shared by the readers of its tables.
final class DiagnosticLog {
    let file: String
    private(set) var entries: [ConfigDiagnostic] = []

    init(file: String) { self.file = file }

    func error(_ key: String, _ message: String, at position: TOMLPosition?) {
        entries.append(ConfigDiagnostic(.error, file: file, position: position, key: key, message: message))
    }

    func warning(_ key: String, _ message: String, at position: TOMLPosition?) {
        entries.append(ConfigDiagnostic(.warning, file: file, position: position, key: key, message: message))
    }

    var errors: [ConfigDiagnostic] { entries.filter { $0.severity == .error } }
    var warnings: [ConfigDiagnostic] { entries.filter { $0.severity == .warning } }
}
