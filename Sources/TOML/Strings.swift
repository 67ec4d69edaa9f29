/// The four string kinds (toml.io v1.0.0 "String").
extension DocumentParser {
    /// `"…"` with escapes, on one line.
    mutating func parseBasicString() throws(TOMLError) -> String {
        let start = cursor.position
        cursor.advance()
        var text = ""
        while true {
            guard let scalar = cursor.peek(), scalar != "\n", scalar != "\r" else {
                throw cursor.error("unterminated string (started at \(start)), \(cursor.found)")
            }
            switch scalar {
            case "\"":
                cursor.advance()
                return text
            case "\\":
                text.unicodeScalars.append(try parseEscape())
            default:
                try appendPlain(scalar, to: &text, kind: "string")
            }
        }
    }

    /// `'…'` without escapes, on one line.
    mutating func parseLiteralString() throws(TOMLError) -> String {
        let start = cursor.position
        cursor.advance()
        var text = ""
        while true {
            guard let scalar = cursor.peek(), scalar != "\n", scalar != "\r" else {
                throw cursor.error("unterminated literal string (started at \(start)), \(cursor.found)")
            }
            if scalar == "'" {
                cursor.advance()
                return text
            }
            try appendPlain(scalar, to: &text, kind: "literal string")
        }
    }

    /// `"""…"""`: a newline right after the opening is trimmed, a line-ending backslash trims
    /// the following whitespace and newlines, up to two quotes may precede the closing ones.
    mutating func parseMultilineBasicString() throws(TOMLError) -> String {
        try parseMultiline(quote: "\"", escapes: true)
    }

    /// `'''…'''`: as the basic kind, without escapes.
    mutating func parseMultilineLiteralString() throws(TOMLError) -> String {
        try parseMultiline(quote: "'", escapes: false)
    }

    private mutating func parseMultiline(quote: Unicode.Scalar, escapes: Bool) throws(TOMLError) -> String {
        let start = cursor.position
        cursor.advance(by: 3)
        _ = try cursor.consumeNewline()
        var text = ""
        while true {
            guard let scalar = cursor.peek() else {
                throw cursor.error("unterminated multi-line string (started at \(start)), found end of file")
            }
            if scalar == quote {
                var run = 0
                while cursor.peek(run) == quote { run += 1 }
                if run >= 3 {
                    guard run <= 5 else { throw cursor.error("too many quotes at the end of a multi-line string") }
                    for _ in 0..<(run - 3) { text.unicodeScalars.append(quote) }
                    cursor.advance(by: run)
                    return text
                }
                for _ in 0..<run { text.unicodeScalars.append(quote) }
                cursor.advance(by: run)
            } else if try cursor.consumeNewline() {
                text.append("\n")
            } else if escapes, scalar == "\\" {
                if lineEndingBackslash() {
                    cursor.advance()
                    try cursor.skipBlankSpaceWithoutComments()
                } else {
                    text.unicodeScalars.append(try parseEscape())
                }
            } else {
                try appendPlain(scalar, to: &text, kind: "multi-line string")
            }
        }
    }

    /// Whether the backslash at the cursor is the last non-whitespace character on its line.
    private func lineEndingBackslash() -> Bool {
        var offset = 1
        while let scalar = cursor.peek(offset), scalar == " " || scalar == "\t" { offset += 1 }
        return cursor.peek(offset) == "\n" || (cursor.peek(offset) == "\r" && cursor.peek(offset + 1) == "\n")
    }

    /// Appends a scalar that is not a delimiter or escape; control characters other than tab are errors.
    private mutating func appendPlain(_ scalar: Unicode.Scalar, to text: inout String, kind: String) throws(TOMLError) {
        if Cursor.isControl(scalar), scalar != "\t" {
            throw cursor.error("control character U+\(String(scalar.value, radix: 16, uppercase: true)) must be escaped in a \(kind)")
        }
        text.unicodeScalars.append(scalar)
        cursor.advance()
    }

    /// `\b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX`; anything else is an error.
    private mutating func parseEscape() throws(TOMLError) -> Unicode.Scalar {
        let position = cursor.position
        cursor.advance()
        guard let letter = cursor.advance() else { throw cursor.error("unterminated escape sequence") }
        switch letter {
        case "b": return "\u{08}"
        case "t": return "\t"
        case "n": return "\n"
        case "f": return "\u{0C}"
        case "r": return "\r"
        case "\"": return "\""
        case "\\": return "\\"
        case "u", "U":
            let digits = letter == "u" ? 4 : 8
            var value: UInt32 = 0
            for _ in 0..<digits {
                guard let digit = cursor.peek(), digit != "+", digit != "-", let nibble = UInt32(String(digit), radix: 16) else {
                    throw cursor.error("expected \(digits) hexadecimal digits after '\\\(letter)', \(cursor.found)")
                }
                value = value << 4 | nibble
                cursor.advance()
            }
            guard let scalar = Unicode.Scalar(value) else {
                throw cursor.error("'\\\(letter)\(String(value, radix: 16, uppercase: true))' is not a Unicode scalar value", at: position)
            }
            return scalar
        default:
            throw cursor.error("invalid escape sequence '\\\(Character(letter))'", at: position)
        }
    }
}

extension Cursor {
    /// Skips whitespace and newlines (after a line-ending backslash; a comment there is content).
    mutating func skipBlankSpaceWithoutComments() throws(TOMLError) {
        while true {
            skipWhitespace()
            guard try consumeNewline() else { return }
        }
    }
}
