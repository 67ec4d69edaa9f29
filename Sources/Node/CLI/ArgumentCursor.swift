/// Walks a command's arguments: `--flag`, `--option value`, `--option=value`, and positionals.
///
/// Every command parses with it, so all of them accept the same spellings and report unknown or
/// incomplete options the same way (`UsageError`, exit 2).
public struct ArgumentCursor {
    private var arguments: ArraySlice<String>

    public init<Arguments: Collection>(_ arguments: Arguments) where Arguments.Element == String {
        self.arguments = ArraySlice(arguments)
    }

    /// One parsed item.
    public enum Item: Equatable {
        /// `--name` or `--name=value` (the value is attached only in the second spelling).
        case option(name: String, attachedValue: String?)
        /// Anything not starting with `--` (or everything after a bare `--`).
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
        guard argument.hasPrefix("--"), argument.count > 2 else { return .positional(argument) }
        let body = argument.dropFirst(2)
        if let equals = body.firstIndex(of: "=") {
            return .option(name: String(body[..<equals]), attachedValue: String(body[body.index(after: equals)...]))
        }
        return .option(name: String(body), attachedValue: nil)
    }

    /// The value of option `name`: the attached `=value`, or else the next argument.
    public mutating func value(for name: String, attached: String?) throws(UsageError) -> String {
        if let attached { return attached }
        guard let value = arguments.popFirst(), !value.hasPrefix("--") else {
            throw UsageError("option --\(name) needs a value")
        }
        return value
    }

    /// The value of option `name` converted with `convert`, or a usage error naming what was expected.
    public mutating func value<Value>(
        for name: String, attached: String?, expected: String, _ convert: (String) -> Value?
    ) throws(UsageError) -> Value {
        let raw = try value(for: name, attached: attached)
        guard let converted = convert(raw) else {
            throw UsageError("option --\(name) expects \(expected), got '\(raw)'")
        }
        return converted
    }

    /// A usage error for an option the command does not know.
    public static func unknown(_ name: String) -> UsageError { UsageError("unknown option --\(name)") }

    /// A usage error for a positional argument the command does not take.
    public static func unexpected(_ argument: String) -> UsageError { UsageError("unexpected argument '\(argument)'") }

    /// A usage error for a flag that was given a value (`--flag=x`).
    public static func flagWithValue(_ name: String) -> UsageError { UsageError("option --\(name) takes no value") }
}
