import Foundation

/// `vantage check-config [--config PATH]`: validates a vantage.toml or an unchanged goavail.toml,
/// prints the effective configuration with secrets redacted and any warnings; exit 0 when valid,
/// 1 with every error listed when not.
public enum CheckConfigCommand: Command {
    public static let name = "check-config"
    public static let summary = "validate a config and print it with secrets redacted"
    public static let usage = """
        usage: vantage check-config [--config PATH]

          --config PATH   the file to check (default vantage.toml); a goavail.toml is accepted as is

        Prints the effective configuration (defaults filled in, keys redacted) and exits 0, or lists
        every error as file:line:column: key: message and exits 1.
        """

    /// The default configuration file.
    public static let defaultPath = "vantage.toml"

    static func parse(_ arguments: [String]) throws(UsageError) -> String {
        var cursor = ArgumentCursor(arguments)
        var path = defaultPath
        while let item = cursor.next() {
            switch item {
            case .positional(let argument): throw ArgumentCursor.unexpected(argument)
            case .option(let name, let attached):
                guard name == "config" else { throw ArgumentCursor.unknown(name) }
                path = try cursor.value(for: name, attached: attached)
            }
        }
        return path
    }

    public static func run(_ arguments: [String]) async throws -> Int32 {
        let path = try parse(arguments)
        do {
            let loaded = try ConfigLoader.load(path: path)
            for warning in loaded.warnings { VantageCLI.writeError(warning.description) }
            if loaded.isGoavail { print("# \(path) is in goavail's format; the equivalent vantage.toml:") }
            print(loaded.config.rendered, terminator: "")
            return 0
        } catch {
            VantageCLI.writeError(error.description)
            let count = error.diagnostics.count
            VantageCLI.writeError("\(path): \(count) error\(count == 1 ? "" : "s")")
            return 1
        }
    }
}
