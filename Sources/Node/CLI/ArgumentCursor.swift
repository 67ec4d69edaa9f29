/// Walks a command's arguments: `--flag`, `--option value`, `--option=value`, single-letter
/// aliases (`-f value`, as goavail's command line spells them), and positionals.
///
/// Every command parses with it, so all of them accept the same spellings and report unknown,
/// incomplete or out-of-range options the same way (`UsageError`, exit 2).
public struct ArgumentCursor {
    private var arguments: ArraySlice<String>
    /// Single-letter aliases: `-f` reads as the option named `shortNames["f"]`.
    private let shortNames: [Character: String]

    public init<Arguments: Collection>(_ arguments: Arguments, shortNames: [Character: String] = [:]) where Arguments.Element == String {
        self.arguments = ArraySlice(arguments)
        self.shortNames = shortNames
    }

    /// One parsed item.
    public enum Item: Equatable {
        /// `--name` or `--name=value` (the value is attached only in the second spelling), or a
        /// known single-letter alias `-n`, reported under its long name.
        case option(name: String, attachedValue: String?)
        /// Anything else (and everything after a bare `--`).
        case positional(String)
    }

    private var onlyPositionals = false

    /// The next item, or nil at the end.
    public mutating func next() -> Item? {
        guard let argument = arguments.popFirst() else { return nil }
        if onlyPositionals { return .positional(argument) }
        if argument == "--" {
            onlyPositionals = true
            return next()
        }
        if argument.count == 2, argument.first == "-", let long = shortNames[argument.last!] {
            return .option(name: long, attachedValue: nil)
        }
        guard argument.hasPrefix("--"), argument.count > 2 else { return .positional(argument) }
        let body = argument.dropFirst(2)
        if let equals = body.firstIndex(of: "=") {
            return .option(name: String(body[..<equals]), attachedValue: String(body[body.index(after: equals)...]))
        }
        return .option(name: String(body), attachedValue: nil)
    }

    /// The value of option `name`: the attached `=value`, or else the next argument (which may
    /// start with a single dash, so `--seeds -3` is a value, refused by its range).
    public mutating func value(for name: String, attached: String?) throws(UsageError) -> String {
        if let attached { return attached }
        guard let value = arguments.popFirst(), !value.hasPrefix("--") else {
            throw UsageError("option --\(name) needs a value")
        }
        return value
    }

    /// The value of option `name` converted with `convert`, or a usage error naming what was expected.
    ///
    /// `Value` is the converted type itself: assigning the result to an optional would make
    /// `Value` optional and a nil from `convert` a valid `.some(nil)`, so ranges are checked by
    /// `integer(for:attached:in:)` and `number(for:attached:in:)`, never inside `convert`.
    public mutating func value<Value>(
        for name: String, attached: String?, expected: String, _ convert: (String) -> Value?
    ) throws(UsageError) -> Value {
        let raw = try value(for: name, attached: attached)
        guard let converted = convert(raw) else {
            throw UsageError("option --\(name) expects \(expected), got '\(raw)'")
        }
        return converted
    }

    /// An integer option within `range`; anything else is a usage error naming the range.
    public mutating func integer(for name: String, attached: String?, in range: ClosedRange<Int>) throws(UsageError) -> Int {
        let number: Int = try value(for: name, attached: attached, expected: "an integer from \(range.lowerBound) to \(range.upperBound)") { Int($0) }
        guard range.contains(number) else {
            throw UsageError("option --\(name) must be from \(range.lowerBound) to \(range.upperBound), got \(number)")
        }
        return number
    }

    /// A decimal option within `range`; anything else is a usage error naming the range.
    public mutating func number(for name: String, attached: String?, in range: ClosedRange<Double>) throws(UsageError) -> Double {
        func spelled(_ number: Double) -> String { number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number) }
        let text = "\(spelled(range.lowerBound)) to \(spelled(range.upperBound))"
        let number: Double = try value(for: name, attached: attached, expected: "a number from \(text)") { Double($0) }
        guard range.contains(number) else { throw UsageError("option --\(name) must be from \(text), got \(spelled(number))") }
        return number
    }

    /// A usage error for an option the command does not know.
    public static func unknown(_ name: String) -> UsageError { UsageError("unknown option --\(name)") }

    /// A usage error for a positional argument the command does not take (an unknown `-x` is
    /// named as an option).
    public static func unexpected(_ argument: String) -> UsageError {
        argument.count == 2 && argument.first == "-" && argument != "--"
            ? UsageError("unknown option \(argument)") : UsageError("unexpected argument '\(argument)'")
    }

    /// A usage error for a flag that was given a value (`--flag=x`).
    public static func flagWithValue(_ name: String) -> UsageError { UsageError("option --\(name) takes no value") }
}
