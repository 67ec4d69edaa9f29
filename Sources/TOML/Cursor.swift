/// Walks a document's Unicode scalars, tracking line and column for error positions.
struct Cursor {
    private let scalars: [Unicode.Scalar]
    private(set) var index = 0
    private var line = 1
    private var lineStart = 0
    let file: String

    init(_ text: String, file: String) {
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }  // a byte order mark is not content
        self.scalars = scalars
        self.file = file
    }

    var isAtEnd: Bool { index >= scalars.count }

    /// The scalar `offset` ahead, or nil past the end.
    func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    /// Whether the next scalars spell `text`.
    func looksAt(_ text: String) -> Bool {
        var offset = 0
        for scalar in text.unicodeScalars {
            guard peek(offset) == scalar else { return false }
            offset += 1
        }
        return true
    }

    var position: TOMLPosition { TOMLPosition(line: line, column: index - lineStart + 1) }

    /// Consumes one scalar (keeping the line count) and returns it.
    @discardableResult
    mutating func advance() -> Unicode.Scalar? {
        guard let scalar = peek() else { return nil }
        index += 1
        if scalar == "\n" {
            line += 1
            lineStart = index
        }
        return scalar
    }

    mutating func advance(by count: Int) {
        for _ in 0..<count { advance() }
    }

    /// An error at the current position.
    func error(_ message: String) -> TOMLError {
        TOMLError(file: file, position: position, message: message)
    }

    func error(_ message: String, at position: TOMLPosition) -> TOMLError {
        TOMLError(file: file, position: position, message: message)
    }

    /// A description of the next scalar for messages ("found 'x'", "found end of file").
    var found: String {
        guard let scalar = peek() else { return "found end of file" }
        switch scalar {
        case "\n": return "found end of line"
        case "\r": return "found carriage return"
        default:
            return scalar.value < 0x20 || scalar.value == 0x7F
                ? "found control character U+\(String(scalar.value, radix: 16, uppercase: true))"
                : "found '\(Character(scalar))'"
        }
    }

    /// Skips spaces and tabs.
    mutating func skipWhitespace() {
        while let scalar = peek(), scalar == " " || scalar == "\t" { advance() }
    }

    /// Skips a comment up to (not including) the end of line; control characters other than tab
    /// are not allowed in comments (toml.io v1.0.0 "Comment").
    mutating func skipComment() throws(TOMLError) {
        guard peek() == "#" else { return }
        advance()
        while let scalar = peek(), scalar != "\n" {
            if scalar == "\r", peek(1) == "\n" { return }
            if Self.isControl(scalar), scalar != "\t" { throw error("control character not allowed in a comment") }
            advance()
        }
    }

    /// Consumes one newline (LF or CRLF); false when the next scalar is not one.
    mutating func consumeNewline() throws(TOMLError) -> Bool {
        if peek() == "\n" {
            advance()
            return true
        }
        if peek() == "\r" {
            guard peek(1) == "\n" else { throw error("a carriage return must be followed by a line feed") }
            advance(by: 2)
            return true
        }
        return false
    }

    /// Skips whitespace, comments and newlines (inside arrays and between expressions).
    mutating func skipBlankSpace() throws(TOMLError) {
        while true {
            skipWhitespace()
            try skipComment()
            guard try consumeNewline() else { return }
        }
    }

    /// U+0000–U+001F and U+007F.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool { scalar.value < 0x20 || scalar.value == 0x7F }
}
