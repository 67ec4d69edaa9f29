import Wire

/// `vantage version`: the release and the wire protocol version this binary speaks.
public enum VersionCommand: Command {
    /// The release, bumped with every tagged build.
    public static let release = "0.1.0"

    public static let name = "version"
    public static let summary = "print the release and protocol version"
    public static let usage = "usage: vantage version"

    /// The line `vantage version` prints.
    public static var line: String { "vantage \(release) (wire protocol \(SealedFrame.version))" }

    public static func run(_ arguments: [String]) async throws -> Int32 {
        if let extra = arguments.first { throw ArgumentCursor.unexpected(extra) }
        print(line)
        return 0
    }
}
