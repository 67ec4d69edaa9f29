import TOML

/// Reads one TOML table of a configuration: typed accessors that log a positioned error for a
/// wrong type or value, and `finish()`, which reports every key nobody asked for as unknown with
/// a "did you mean" suggestion.
final class TableReader {
    let table: TOMLTable
    /// The table's path for messages (`cluster`, `check[2]`; empty for the root).
    let path: String
    let log: DiagnosticLog
    private var known: [String] = []

    init(_ table: TOMLTable, path: String, log: DiagnosticLog) {
        self.table = table
        self.path = path
        self.log = log
    }

    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Where `key` was written, or where the table starts when it is missing.
    func position(_ key: String) -> TOMLPosition { table.position(of: key) ?? table.position }

    func error(_ key: String, _ message: String) { log.error(keyPath(key), message, at: position(key)) }

    func warning(_ key: String, _ message: String) { log.warning(keyPath(key), message, at: position(key)) }

    /// Whether `key` is present (and marks it known).
    func has(_ key: String) -> Bool {
        known.append(key)
        return table[key] != nil
    }

    /// The value at `key` converted by `convert`; a missing key gives nil silently, a wrong one
    /// logs "expected …, found …".
    func value<Value>(_ key: String, expected: String, _ convert: (TOMLValue) -> Value?) -> Value? {
        known.append(key)
        guard let raw = table[key] else { return nil }
        guard let value = convert(raw) else {
            error(key, "expected \(expected), found \(Self.describe(raw))")
            return nil
        }
        return value
    }

    func string(_ key: String) -> String? {
        value(key, expected: "a string") { if case .string(let text) = $0 { text } else { nil } }
    }

    func bool(_ key: String) -> Bool? {
        value(key, expected: "true or false") { if case .boolean(let flag) = $0 { flag } else { nil } }
    }

    /// An integer within `range`.
    func integer(_ key: String, in range: ClosedRange<Int64>) -> Int? {
        value(key, expected: "an integer from \(range.lowerBound) to \(range.upperBound)") {
            if case .integer(let number) = $0, range.contains(number) { Int(number) } else { nil }
        }
    }

    /// A duration written as a string (`"800ms"`, `"1s"`, `"2m"`).
    func duration(_ key: String) -> Duration? {
        value(key, expected: "a duration such as \"800ms\", \"1s\" or \"2m\"") {
            if case .string(let text) = $0 { DurationText.parse(text) } else { nil }
        }
    }

    func strings(_ key: String) -> [String]? {
        value(key, expected: "an array of strings") { raw in
            guard case .array(let items) = raw else { return nil }
            let texts = items.compactMap { if case .string(let text) = $0 { text } else { nil } }
            return texts.count == items.count ? texts : nil
        }
    }

    /// A sub-table, read by its own reader.
    func table(_ key: String) -> TableReader? {
        value(key, expected: "a table ([\(keyPath(key))])") { raw in
            if case .table(let table) = raw { TableReader(table, path: keyPath(key), log: log) } else { nil }
        }
    }

    /// An array of tables (`[[check]]`), each with its own reader named `key[i]`.
    func tables(_ key: String) -> [TableReader]? {
        value(key, expected: "an array of tables ([[\(keyPath(key))]])") { raw in
            guard case .array(let items) = raw else { return nil }
            let tables = items.enumerated().compactMap { index, item in
                if case .table(let table) = item { TableReader(table, path: "\(keyPath(key))[\(index + 1)]", log: log) } else { nil }
            }
            return tables.count == items.count ? tables : nil
        }
    }

    /// Reports every key not asked for, with the nearest known key as a suggestion.
    func finish() {
        // By exact scalars, as the table matched them: a look-alike ("\u{212A}" for "K") is unknown.
        for key in table.keys where !known.contains(where: { $0.utf8.elementsEqual(key.utf8) }) {
            let hint = EditDistance.suggestion(for: key, among: Set(known)).map { "; did you mean '\($0)'?" } ?? ""
            error(key, "unknown key\(hint)")
        }
    }

    private static func describe(_ value: TOMLValue) -> String {
        switch value {
        case .string(let text): "\"\(text)\""
        case .integer(let number): "\(number)"
        case .boolean(let flag): "\(flag)"
        default: value.typeName
        }
    }
}
