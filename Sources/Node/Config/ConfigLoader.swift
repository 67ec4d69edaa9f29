import Foundation
import TOML

/// Loads a configuration file: TOML syntax, then the format (vantage.toml, or an unchanged
/// goavail.toml recognised by its keys), then the cross-field rules. Every error is collected
/// and reported together, each naming `file:line:column` and the key; the cross-field rules
/// run once every part reads cleanly, so one mistake is one error.
public enum ConfigLoader {
    /// A valid configuration and the warnings worth printing.
    public struct Loaded: Sendable {
        public var config: VantageConfig
        public var warnings: [ConfigDiagnostic]
        /// Whether the file was a goavail.toml.
        public var isGoavail: Bool
    }

    /// Reads and validates the file at `path`; `goavail` holds goavail's command-line choices,
    /// which only a goavail.toml uses.
    public static func load(path: String, goavail: GoavailOptions = GoavailOptions()) throws(ConfigErrors) -> Loaded {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot read the file" : "no such file"
            throw ConfigErrors(diagnostics: [ConfigDiagnostic(.error, file: path, position: nil, key: "", message: reason)])
        }
        return try load(text: text, file: path, files: .system(relativeTo: (path as NSString).deletingLastPathComponent), goavail: goavail)
    }

    /// Validates `text` as if read from `file`, with key and token files read through `files`.
    static func load(text: String, file: String, files: ConfigFiles, goavail: GoavailOptions = GoavailOptions()) throws(ConfigErrors) -> Loaded {
        let document: TOMLTable
        do {
            document = try TOMLParser.parse(text, file: file)
        } catch {
            throw ConfigErrors(diagnostics: [ConfigDiagnostic(.error, file: file, position: error.position, key: "", message: error.message)])
        }
        let log = DiagnosticLog(file: file)
        let isGoavail = GoavailConfigParser.recognizes(document)
        let config: VantageConfig?, locations: FieldLocations
        if isGoavail {
            var parser = GoavailConfigParser(document, log: log, files: files, options: goavail)
            config = parser.parse()
            locations = parser.locations
        } else {
            for (flag, given) in [("-t/--type", goavail.checkType != nil), ("-p/--dns-provider", goavail.provider != nil)] where given {
                log.warning("", "\(flag) applies to a goavail.toml only and is ignored: a vantage.toml sets each [[check]]'s type and the [dns] provider", at: nil)
            }
            var parser = VantageConfigParser(document, log: log, files: files)
            config = parser.parse()
            locations = parser.locations
        }
        if let config, log.errors.isEmpty { ConfigValidation.check(config, locations: locations, log: log) }
        guard let config, log.errors.isEmpty else { throw ConfigErrors(diagnostics: inFileOrder(log.errors)) }
        return Loaded(config: config, warnings: inFileOrder(log.warnings), isGoavail: isGoavail)
    }

    /// `diagnostics` by line and column (those without a position first), otherwise as found.
    private static func inFileOrder(_ diagnostics: [ConfigDiagnostic]) -> [ConfigDiagnostic] {
        diagnostics.enumerated().sorted {
            ($0.element.position?.line ?? 0, $0.element.position?.column ?? 0, $0.offset)
                < ($1.element.position?.line ?? 0, $1.element.position?.column ?? 0, $1.offset)
        }.map(\.element)
    }
}
