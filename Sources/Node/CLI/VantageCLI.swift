import Foundation

/// The `vantage` command line: picks the subcommand, runs it, and turns usage errors into exit 2.
///
/// Parsing is hand-written (no package dependencies); every subcommand parses its own arguments
/// with `ArgumentCursor`, so all of them spell options the same way.
///
/// The command set is injected: the agent's own commands live here, and the executable adds the
/// ones built on other modules (`simulate` runs the simulator, which `Node` must not depend on).
public struct VantageCLI: Sendable {
    /// Every subcommand, in the order `--help` lists them.
    public let commands: [any Command.Type]

    /// The commands `Node` itself provides.
    public static let agentCommands: [any Command.Type] = [MonitorCommand.self, StatusCommand.self, CheckConfigCommand.self, KeygenCommand.self,
                                                         VersionCommand.self]

    /// A command line with `agentCommands` followed by `extraCommands`.
    public init(adding extraCommands: [any Command.Type] = []) {
        commands = Self.agentCommands + extraCommands
    }

    /// The top-level usage with the command list.
    public var usage: String {
        let width = commands.map { $0.name.count }.max() ?? 0
        let lines = commands.map { "  \($0.name.padding(toLength: width + 2, withPad: " ", startingAt: 0))\($0.summary)" }
        return """
        usage: vantage <command> [options]

        commands:
        \(lines.joined(separator: "\n"))

        `vantage <command> --help` shows a command's options.
        """
    }

    /// What `run` decided to do with a command line, separated from doing it so it can be tested.
    public enum Resolution: Equatable {
        /// Print `text` to standard output and exit 0.
        case help(String)
        /// Run `command` with `arguments`.
        case run(command: String, arguments: [String])
        /// Print `vantage: reason` and `usage` to standard error and exit 2.
        case usageError(reason: String, usage: String)
    }

    /// Resolves a command line (without the program name).
    public func resolve(_ arguments: [String]) -> Resolution {
        guard let word = arguments.first else {
            return .usageError(reason: "no command given", usage: usage)
        }
        if ["--help", "-h", "help"].contains(word) { return .help(usage) }
        if word == "--version" { return .run(command: VersionCommand.name, arguments: []) }
        guard let command = commands.first(where: { $0.name == word }) else {
            return .usageError(reason: "unknown command '\(word)'", usage: usage)
        }
        let rest = Array(arguments.dropFirst())
        if rest.contains(where: { $0 == "--help" || $0 == "-h" }) { return .help(command.usage) }
        return .run(command: command.name, arguments: rest)
    }

    /// Runs a command line and returns the process exit code: 0 success, 1 the command failed,
    /// 2 the command line was wrong.
    public func run(_ arguments: [String]) async -> Int32 {
        switch resolve(arguments) {
        case .help(let text):
            print(text)
            return 0
        case .usageError(let reason, let usage):
            Self.writeError("vantage: \(reason)\n\n\(usage)")
            return 2
        case .run(let name, let rest):
            let command = commands.first { $0.name == name }!
            do {
                return try await command.run(rest)
            } catch let error as UsageError {
                Self.writeError("vantage \(name): \(error.message)\n\n\(command.usage)")
                return 2
            } catch {
                Self.writeError("vantage \(name): \(error)")
                return 1
            }
        }
    }

    /// Writes one message line to standard error.
    static func writeError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
