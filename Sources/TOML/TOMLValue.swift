/// A calendar date (toml.io v1.0.0 "Local Date").
public struct TOMLDate: Sendable, Hashable {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }
}

/// A time of day with nanosecond precision (toml.io v1.0.0 "Local Time"; fractions beyond
/// nanoseconds are truncated, as the spec allows).
public struct TOMLTime: Sendable, Hashable {
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var nanosecond: Int

    public init(hour: Int, minute: Int, second: Int, nanosecond: Int = 0) {
        self.hour = hour
        self.minute = minute
        self.second = second
        self.nanosecond = nanosecond
    }
}

/// One TOML value (toml.io v1.0.0 "Keys/Value Pair": every value kind).
public enum TOMLValue: Sendable, Equatable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    case offsetDateTime(TOMLDate, TOMLTime, offsetMinutes: Int)
    case localDateTime(TOMLDate, TOMLTime)
    case localDate(TOMLDate)
    case localTime(TOMLTime)
    case array([TOMLValue])
    case table(TOMLTable)

    /// The kind's name, for messages ("expected integer, found string").
    public var typeName: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .float: "float"
        case .boolean: "boolean"
        case .offsetDateTime: "offset date-time"
        case .localDateTime: "local date-time"
        case .localDate: "local date"
        case .localTime: "local time"
        case .array: "array"
        case .table: "table"
        }
    }
}

/// A table: keys in document order, their values, and where each key was defined, so that a
/// configuration error can name `file:line:column`.
public struct TOMLTable: Sendable, Equatable {
    /// The keys in the order they were defined.
    public private(set) var keys: [String] = []
    private var values: [ScalarKey: TOMLValue] = [:]
    private var positions: [ScalarKey: TOMLPosition] = [:]
    /// Where the table was opened: its `[header]`, its `{`, its first dotted key, or 1:1 for the root.
    public var position: TOMLPosition

    public init(position: TOMLPosition = TOMLPosition(line: 1, column: 1)) {
        self.position = position
    }

    /// The value at `key`; keys match by their exact Unicode scalars (`"\u{E9}"` and
    /// `"e\u{301}"` are two keys), not by Swift's canonical equivalence.
    public subscript(key: String) -> TOMLValue? { values[ScalarKey(key)] }

    /// Where `key` (or the header that opened it) was defined.
    public func position(of key: String) -> TOMLPosition? { positions[ScalarKey(key)] }

    /// Adds or replaces `key`; a new key goes to the end of `keys`.
    public mutating func set(_ key: String, _ value: TOMLValue, at position: TOMLPosition) {
        if values.updateValue(value, forKey: ScalarKey(key)) == nil { keys.append(key) }
        if positions[ScalarKey(key)] == nil { positions[ScalarKey(key)] = position }
    }

    public static func == (lhs: TOMLTable, rhs: TOMLTable) -> Bool {
        lhs.keys.map(ScalarKey.init) == rhs.keys.map(ScalarKey.init) && lhs.values == rhs.values
    }
}
