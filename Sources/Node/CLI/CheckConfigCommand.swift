import Foundation

/// `vantage check-config [PATH | --config PATH] [-t ip|tcp] [-p cloudflare|route53]`: validates a
/// vantage.toml or an unchanged goavail.toml, prints the effective configuration (which checks
/// again as printed) and any warnings; exit 0 when valid, 1 with every error listed when not.
public enum CheckConfigCommand: Command {
    public static let name = "check-config"
    public static let summary = "validate a config and print the effective one"
    public static let usage = """
        usage: vantage check-config [PATH | --config PATH] [-t ip|tcp] [-p cloudflare|route53]

          PATH, --config PATH      the file to check (default ./vantage.toml); a goavail.toml is accepted as is
          -t, --type ip|tcp        goavail.toml only: goavail's check type (default ip, ICMP)
          -p, --dns-provider NAME  goavail.toml only: goavail's DNS provider (default cloudflare)

        Prints the effective configuration (defaults filled in; key and token files kept as
        references, inline secrets as <redacted>) and exits 0, or lists every error as
        file:line:column: key: message and exits 1.
        """

    /// The default configuration file.
    public static let defaultPath = "vantage.toml"

    /// What to check and how to read a goavail.toml.
    struct Invocation: Equatable {
        var path = CheckConfigCommand.defaultPath
        var goavail = GoavailOptions()
    }

    static func parse(_ arguments: [String]) throws(UsageError) -> Invocation {
        var cursor = ArgumentCursor(arguments, shortNames: GoavailFlags.shortNames)
        var invocation = Invocation()
        var path: String?
        func setPath(_ value: String) throws(UsageError) {
            guard path == nil else { throw UsageError("give one config file, not '\(path!)' and '\(value)'") }
            path = value
        }
        while let item = cursor.next() {
            switch item {
            case .positional(let argument):
                if argument.hasPrefix("-"), argument.count > 1 { throw ArgumentCursor.unexpected(argument) }
                try setPath(argument)
            case .option(let name, let attached):
                if try GoavailFlags.read(name, attached: attached, from: &cursor, into: &invocation.goavail) { continue }
                guard name == "config" else { throw ArgumentCursor.unknown(name) }
                try setPath(try cursor.value(for: name, attached: attached))
            }
        }
        invocation.path = path ?? defaultPath
        return invocation
    }

    /// What to do when the file is not there: name it, or where the default is looked for.
    static func missingFileHelp(_ path: String) -> String {
        let resolved = (path as NSString).isAbsolutePath ? path : FileManager.default.currentDirectoryPath + "/" + path
        return "\(path): no such file (looked for \(resolved)); name the config as `vantage check-config PATH` or `--config PATH`"
            + " (without one it reads \(defaultPath) in the current directory)"
    }

    public static func run(_ arguments: [String]) async throws -> Int32 {
        let invocation = try parse(arguments)
        let path = invocation.path
        guard FileManager.default.fileExists(atPath: path) else {
            VantageCLI.writeError(missingFileHelp(path))
            return 1
        }
        do {
            let loaded = try ConfigLoader.load(path: path, goavail: invocation.goavail)
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
