import Foundation
import Synchronization

/// Writes the agent's log: one `LogLine` per event at or above `minimum`, in one format, each
/// line written whole (lines from different threads never interleave).
public final class Logger: Sendable {
    public let format: LogLine.Format
    public let minimum: LogLine.Level
    private let sink: @Sendable (String) -> Void

    /// Lines go to standard error unless `sink` is given (tests collect them).
    public init(format: LogLine.Format = .text, minimum: LogLine.Level = .info,
                sink: @escaping @Sendable (String) -> Void = Logger.standardError) {
        self.format = format
        self.minimum = minimum
        self.sink = sink
    }

    public func log(_ level: LogLine.Level, _ event: String, _ message: String, _ fields: [(String, String)] = []) {
        guard level >= minimum else { return }
        sink(LogLine(time: Date(), level: level, event: event, message: message, fields: fields).rendered(as: format))
    }

    private static let standardErrorLock = Mutex(())

    /// Writes `line` and a newline to standard error in one call.
    public static let standardError: @Sendable (String) -> Void = { line in
        standardErrorLock.withLock { _ in FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }
}
