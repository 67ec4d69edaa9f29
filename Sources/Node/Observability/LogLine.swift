import Foundation

/// One log line: one event, as text or as a JSON object on one line (`--log-format`).
///
/// A line holds only the fields it is given. Secrets are never passed in: keys, tokens and the
/// webhook URL are not fields of any event, so no format can leak them.
public struct LogLine: Sendable, Equatable {
    public enum Level: String, Sendable, Comparable, CaseIterable {
        case debug, info, warning, error

        public static func < (a: Level, b: Level) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    public enum Format: String, Sendable, CaseIterable {
        case text, json
    }

    /// Wall-clock time, for people reading logs (the cores never see it).
    public var time: Date
    public var level: Level
    /// A short, stable name (`dns.delete`, `leader.elected`).
    public var event: String
    /// What happened, in a sentence.
    public var message: String
    /// Further fields in the order given.
    public var fields: [(String, String)]

    public init(time: Date, level: Level, event: String, message: String, fields: [(String, String)] = []) {
        self.time = time
        self.level = level
        self.event = event
        self.message = message
        self.fields = fields
    }

    public static func == (a: LogLine, b: LogLine) -> Bool {
        a.time == b.time && a.level == b.level && a.event == b.event && a.message == b.message
            && a.fields.map { $0.0 } == b.fields.map { $0.0 } && a.fields.map { $0.1 } == b.fields.map { $0.1 }
    }

    /// The line without its newline.
    public func rendered(as format: Format) -> String {
        let stamp = time.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        switch format {
        case .text:
            var text = "\(stamp) \(level.rawValue.uppercased()) \(event) \(message)"
            for (key, value) in fields { text += " \(key)=\(Self.quotedIfNeeded(value))" }
            return text
        case .json:
            var members = [("time", stamp), ("level", level.rawValue), ("event", event), ("message", message)]
            members += fields
            return "{" + members.map { "\(Self.jsonString($0.0)):\(Self.jsonString($0.1))" }.joined(separator: ",") + "}"
        }
    }

    /// Values with spaces, quotes or control characters are quoted and escaped, so a line stays one line.
    static func quotedIfNeeded(_ value: String) -> String {
        let plain = !value.isEmpty && value.unicodeScalars.allSatisfy { $0.value > 0x20 && $0 != "\"" && $0 != "\\" && $0.value != 0x7F }
        return plain ? value : jsonString(value)
    }

    static func jsonString(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
