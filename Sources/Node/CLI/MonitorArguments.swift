/// The command line of `vantage monitor`, which takes goavail's flags so that a service line
/// such as `goavail monitor --no-dry-run -t tcp -p cloudflare -f /etc/goavail/goavail.toml`
/// runs unchanged with `vantage` in goavail's place.
///
/// goavail's flags (kingpin): `-f/--config-file` (default goavail.toml there; vantage.toml
/// here, or `--config` as in check-config), `-d/--dry-run` and `--no-dry-run` (a dry run is the
/// default), `-t/--type ip|tcp`, `-p/--dns-provider cloudflare|route53` and `-b/--debug`.
public struct MonitorArguments: Sendable, Equatable {
    /// The configuration file.
    public var configPath = CheckConfigCommand.defaultPath
    /// Whether DNS is left alone and the leader only logs the changes it would make (DESIGN.md:
    /// the default; `--no-dry-run` turns writing on).
    public var dryRun = true
    /// Debug logging (goavail's `-b/--debug`, the same as `--log-level debug`).
    public var debug = false
    /// `--log-format text|json`: one line per event, as text or as a JSON object.
    public var logFormat = LogLine.Format.text
    /// `--log-level debug|info|warning|error`: the least severe level written.
    public var logLevel = LogLine.Level.info
    /// The check type and provider a goavail.toml is read with.
    public var goavail = GoavailOptions()

    /// The single-letter aliases, goavail's.
    static let shortNames = GoavailFlags.shortNames.merging(["f": "config-file", "d": "dry-run", "b": "debug"]) { first, _ in first }

    /// Parses everything after `vantage monitor`.
    public init(_ arguments: [String]) throws(UsageError) {
        var cursor = ArgumentCursor(arguments, shortNames: Self.shortNames)
        while let item = cursor.next() {
            switch item {
            case .positional(let argument): throw ArgumentCursor.unexpected(argument)
            case .option(let name, let attached):
                if try GoavailFlags.read(name, attached: attached, from: &cursor, into: &goavail) { continue }
                switch name {
                case "config-file", "config": configPath = try cursor.value(for: name, attached: attached)
                case "log-format":
                    let value = try cursor.value(for: name, attached: attached)
                    guard let format = LogLine.Format(rawValue: value) else { throw UsageError("--log-format takes text or json, not '\(value)'") }
                    logFormat = format
                case "log-level":
                    let value = try cursor.value(for: name, attached: attached)
                    guard let level = LogLine.Level(rawValue: value) else {
                        throw UsageError("--log-level takes \(LogLine.Level.allCases.map(\.rawValue).joined(separator: ", ")), not '\(value)'")
                    }
                    logLevel = level
                case "dry-run", "no-dry-run", "debug":
                    guard attached == nil else { throw ArgumentCursor.flagWithValue(name) }
                    if name == "debug" {
                        debug = true
                        logLevel = .debug
                    } else {
                        dryRun = name == "dry-run"
                    }
                default: throw ArgumentCursor.unknown(name)
                }
            }
        }
    }

    /// Loads the configuration the way the monitor will run it: goavail's `-t` and `-p` decide
    /// how a goavail.toml is read.
    public func loadConfig() throws(ConfigErrors) -> ConfigLoader.Loaded {
        try ConfigLoader.load(path: configPath, goavail: goavail)
    }
}
