/// One `vantage` subcommand. `VantageCLI` dispatches on `name`, prints `summary` in `--help`,
/// and prints `usage` after a `UsageError`.
public protocol Command: Sendable {
    /// The subcommand word (`check-config`).
    static var name: String { get }
    /// One line for the command list.
    static var summary: String { get }
    /// The full usage text with every option.
    static var usage: String { get }
    /// Parses `arguments` (everything after the subcommand word) and runs; returns the exit code.
    /// Throws `UsageError` for a command line it cannot run (exit 2).
    static func run(_ arguments: [String]) async throws -> Int32
}
