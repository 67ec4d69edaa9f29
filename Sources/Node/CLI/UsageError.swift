/// A command line that cannot be run as written. The CLI prints `vantage: <message>` and the
/// command's usage, and exits 2.
public struct UsageError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
