/// A TOML 1.0 parser (https://toml.io/en/v1.0.0), written for Vantage's configuration: every
/// value kind, tables, arrays of tables, dotted and quoted keys, and every error naming
/// `file:line:column` and what was expected.
///
/// Hostile input is bounded: values, tables and keys nest at most `maximumDepth` levels (a
/// positioned error beyond), so recursion cannot exhaust the stack, and the work is linear in
/// the length of the document.
public enum TOMLParser {
    /// The deepest a value may sit: every key segment, array and inline table is one level
    /// (`a.b = [[1]]` puts `1` at depth 4). TOML sets no limit; configurations need a handful.
    public static let maximumDepth = 128

    /// Parses `text`; `file` is only used in error messages.
    public static func parse(_ text: String, file: String) throws(TOMLError) -> TOMLTable {
        var parser = DocumentParser(cursor: Cursor(text, file: file))
        return try parser.parse()
    }
}

/// The parser's state: the cursor, the table tree, and the table that key/value pairs go to.
struct DocumentParser {
    var cursor: Cursor
    let root = TableNode(origin: .header, position: TOMLPosition(line: 1, column: 1))
    private var current: TableNode
    /// The depth of `current`: the segments of the header that opened it.
    private var currentDepth = 0

    init(cursor: Cursor) {
        self.cursor = cursor
        current = root
    }

    /// One segment of a dotted key and where it starts.
    struct KeyPart {
        let name: String
        let position: TOMLPosition
    }

    mutating func parse() throws(TOMLError) -> TOMLTable {
        while true {
            try cursor.skipBlankSpace()
            guard let scalar = cursor.peek() else { break }
            if scalar == "[" {
                try parseHeader()
            } else {
                try parseKeyValue(into: current, depth: currentDepth)
            }
            try expectEndOfLine()
        }
        return root.value
    }

    /// After an expression only whitespace and a comment may follow on the line.
    private mutating func expectEndOfLine() throws(TOMLError) {
        cursor.skipWhitespace()
        try cursor.skipComment()
        guard !cursor.isAtEnd, try !cursor.consumeNewline() else { return }
        throw cursor.error("expected end of line after the expression, \(cursor.found)")
    }

    // MARK: - Keys (toml.io "Keys")

    static func isBareKeyScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "_", "-": true
        default: false
        }
    }

    /// A bare, quoted or dotted key, with whitespace around the dots, in a table at `depth`
    /// (each segment nests one level deeper).
    mutating func parseKey(depth: Int) throws(TOMLError) -> [KeyPart] {
        var parts: [KeyPart] = []
        while true {
            cursor.skipWhitespace()
            let position = cursor.position
            let name: String
            switch cursor.peek() {
            case "\"":
                if cursor.looksAt("\"\"\"") { throw cursor.error("a key cannot be a multi-line string") }
                name = try parseBasicString()
            case "'":
                if cursor.looksAt("'''") { throw cursor.error("a key cannot be a multi-line string") }
                name = try parseLiteralString()
            case let scalar? where Self.isBareKeyScalar(scalar):
                var bare = ""
                while let scalar = cursor.peek(), Self.isBareKeyScalar(scalar) {
                    bare.unicodeScalars.append(scalar)
                    cursor.advance()
                }
                name = bare
            default:
                throw cursor.error("expected a key, \(cursor.found)")
            }
            if depth + parts.count >= TOMLParser.maximumDepth { throw Self.tooDeep(cursor, at: position) }
            parts.append(KeyPart(name: name, position: position))
            cursor.skipWhitespace()
            guard cursor.peek() == "." else { return parts }
            cursor.advance()
        }
    }

    private static func tooDeep(_ cursor: Cursor, at position: TOMLPosition) -> TOMLError {
        cursor.error("nested deeper than \(TOMLParser.maximumDepth) levels (key segments, arrays and inline tables)", at: position)
    }

    private static func path(_ parts: some Collection<KeyPart>) -> String {
        parts.map { part in
            part.name.unicodeScalars.allSatisfy(isBareKeyScalar) && !part.name.isEmpty ? part.name : "\"\(part.name)\""
        }.joined(separator: ".")
    }

    // MARK: - Tables (toml.io "Table", "Array of Tables")

    private mutating func parseHeader() throws(TOMLError) {
        let position = cursor.position
        cursor.advance()
        let isArray = cursor.peek() == "["
        if isArray { cursor.advance() }
        let key = try parseKey(depth: 0)
        guard cursor.peek() == "]" else {
            throw cursor.error("expected '\(isArray ? "]]" : "]")' to close the table header, \(cursor.found)")
        }
        cursor.advance()
        if isArray {
            guard cursor.peek() == "]" else { throw cursor.error("expected ']]' to close the array-of-tables header, \(cursor.found)") }
            cursor.advance()
        }
        var table = root
        for index in key.indices.dropLast() {
            table = try descendForHeader(table, key[...index])
        }
        currentDepth = key.count
        let last = key[key.count - 1], path = Self.path(key)
        let existing = table[last.name]
        let firstDefined = table.position(of: last.name).map { " (first defined at \($0))" } ?? ""
        if isArray {
            let element = TableNode(origin: .header, position: position)
            switch existing {
            case nil:
                table.set(last.name, .tables([element]), at: position)
            case .tables(let elements)?:
                table.set(last.name, .tables(elements + [element]), at: position)
            case .table?, .value?:
                throw cursor.error("cannot define '\(path)' as an array of tables: it is already defined as \(Self.describe(existing!))\(firstDefined)",
                                   at: last.position)
            }
            current = element
            return
        }
        switch existing {
        case nil:
            let node = TableNode(origin: .header, position: position)
            table.set(last.name, .table(node), at: position)
            current = node
        case .table(let node)? where node.origin == .implicit:
            node.origin = .header
            current = node
        case .table(let node)?:
            let how = node.origin == .dottedKey ? " by dotted keys" : ""
            throw cursor.error("table '\(path)' is already defined\(how)\(firstDefined)", at: last.position)
        case .tables?, .value?:
            throw cursor.error("cannot define table '\(path)': it is already defined as \(Self.describe(existing!))\(firstDefined)",
                               at: last.position)
        }
    }

    /// The table the last of `prefix` names inside `table` on the way to a header, created if
    /// missing. The prefix's path is spelled out only for an error, so a long header stays linear.
    private func descendForHeader(_ table: TableNode, _ prefix: ArraySlice<KeyPart>) throws(TOMLError) -> TableNode {
        let part = prefix[prefix.endIndex - 1]
        switch table[part.name] {
        case nil:
            let node = TableNode(origin: .implicit, position: part.position)
            table.set(part.name, .table(node), at: part.position)
            return node
        case .table(let node)?:
            return node
        case .tables(let elements)?:
            return elements[elements.count - 1]
        case .value(let value)?:
            throw cursor.error("'\(Self.path(prefix))' is \(Self.describe(.value(value))), not a table it could extend", at: part.position)
        }
    }

    private static func describe(_ entry: TableNode.Entry) -> String {
        switch entry {
        case .value(.table): "an inline table, which cannot be extended"
        case .value(.array): "a static array"
        case .value(let value): "a \(value.typeName)"
        case .table: "a table"
        case .tables: "an array of tables"
        }
    }

    // MARK: - Key/value pairs (toml.io "Keys/Value Pair")

    /// `key = value` into `table` (at `depth`); dotted keys create (or extend) tables defined by
    /// dotted keys.
    mutating func parseKeyValue(into table: TableNode, depth: Int) throws(TOMLError) {
        let start = cursor.position
        let key = try parseKey(depth: depth)
        guard cursor.peek() == "=" else { throw cursor.error("expected '=' after the key, \(cursor.found)") }
        cursor.advance()
        cursor.skipWhitespace()
        let value = try parseValue(depth: depth + key.count)
        var target = table
        for (index, part) in key.dropLast().enumerated() {
            switch target[part.name] {
            case nil:
                let node = TableNode(origin: .dottedKey, position: part.position)
                target.set(part.name, .table(node), at: part.position)
                target = node
            case .table(let node)? where node.origin != .header:
                node.origin = .dottedKey
                target = node
            case let entry?:
                let firstDefined = target.position(of: part.name).map { " (first defined at \($0))" } ?? ""
                let what = if case .table = entry { "a table defined by a [header]" } else { Self.describe(entry) }
                throw cursor.error("cannot add keys to '\(Self.path(key.prefix(index + 1)))' with a dotted key: it is \(what)\(firstDefined)",
                                   at: part.position)
            }
        }
        let last = key[key.count - 1]
        if target[last.name] != nil {
            let firstDefined = target.position(of: last.name).map { " (first defined at \($0))" } ?? ""
            throw cursor.error("duplicate key '\(Self.path(key))'\(firstDefined)", at: last.position)
        }
        target.set(last.name, .value(value), at: key.count == 1 ? start : last.position)
    }

    // MARK: - Values

    /// The value at the cursor, which sits at `depth` (arrays and inline tables nest their
    /// contents one level deeper).
    mutating func parseValue(depth: Int) throws(TOMLError) -> TOMLValue {
        switch cursor.peek() {
        case "\"":
            return .string(cursor.looksAt("\"\"\"") ? try parseMultilineBasicString() : try parseBasicString())
        case "'":
            return .string(cursor.looksAt("'''") ? try parseMultilineLiteralString() : try parseLiteralString())
        case "[", "{":
            if depth >= TOMLParser.maximumDepth { throw Self.tooDeep(cursor, at: cursor.position) }
            return cursor.peek() == "[" ? try parseArray(depth: depth) : try parseInlineTable(depth: depth)
        case "t" where cursor.looksAt("true"), "f" where cursor.looksAt("false"):
            let value = cursor.peek() == "t"
            let position = cursor.position
            cursor.advance(by: value ? 4 : 5)
            if let next = cursor.peek(), Self.isBareKeyScalar(next) {
                throw cursor.error("expected a value (booleans are lowercase true or false)", at: position)
            }
            return .boolean(value)
        case nil, "\n", "\r", "#":
            throw cursor.error("expected a value, \(cursor.found)")
        default:
            return try parseNumberOrDateTime()
        }
    }

    /// `[ v, v, ]` across lines, with comments (toml.io "Array").
    private mutating func parseArray(depth: Int) throws(TOMLError) -> TOMLValue {
        cursor.advance()
        var values: [TOMLValue] = []
        while true {
            try cursor.skipBlankSpace()
            if cursor.peek() == "]" {
                cursor.advance()
                return .array(values)
            }
            values.append(try parseValue(depth: depth + 1))
            try cursor.skipBlankSpace()
            switch cursor.peek() {
            case ",": cursor.advance()
            case "]":
                cursor.advance()
                return .array(values)
            default: throw cursor.error("expected ',' or ']' in the array, \(cursor.found)")
            }
        }
    }

    /// `{ k = v, k = v }` on one line, no trailing comma (toml.io "Inline Table").
    private mutating func parseInlineTable(depth: Int) throws(TOMLError) -> TOMLValue {
        let node = TableNode(origin: .implicit, position: cursor.position)
        cursor.advance()
        cursor.skipWhitespace()
        if cursor.peek() == "}" {
            cursor.advance()
            return .table(node.value)
        }
        while true {
            try parseKeyValue(into: node, depth: depth)
            cursor.skipWhitespace()
            switch cursor.peek() {
            case ",":
                cursor.advance()
                cursor.skipWhitespace()
                if cursor.peek() == "}" { throw cursor.error("a trailing comma is not allowed in an inline table") }
            case "}":
                cursor.advance()
                return .table(node.value)
            default:
                throw cursor.error("expected ',' or '}' in the inline table (which must stay on one line), \(cursor.found)")
            }
        }
    }
}
