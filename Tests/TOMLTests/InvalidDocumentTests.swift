import Testing
import TOML

/// A document that must be rejected, where, and a fragment of the message.
struct InvalidCase: CustomTestStringConvertible, Sendable {
    let text: String
    let line: Int
    let column: Int
    let message: String

    init(_ text: String, _ line: Int, _ column: Int, _ message: String) {
        self.text = text
        self.line = line
        self.column = column
        self.message = message
    }

    var testDescription: String { text.debugDescription }
}

/// Invalid documents (toml.io v1.0.0): each is rejected with the exact line and column.
@Suite struct InvalidDocumentTests {
    static let cases: [InvalidCase] = [
        // Key/value structure
        InvalidCase("key = ", 1, 7, "expected a value, found end of file"),
        InvalidCase("key value", 1, 5, "expected '=' after the key"),
        InvalidCase("= 1", 1, 1, "expected a key"),
        InvalidCase("a = 1 b = 2", 1, 7, "expected end of line"),
        InvalidCase("a = 1\na = 2", 2, 1, "duplicate key 'a' (first defined at 1:1)"),
        InvalidCase("a.b = 1\na.b = 2", 2, 3, "duplicate key 'a.b'"),
        InvalidCase("a = 1\na.b = 2", 2, 1, "cannot add keys to 'a' with a dotted key: it is a integer"),
        InvalidCase("\"\"\"k\"\"\" = 1", 1, 1, "a key cannot be a multi-line string"),
        InvalidCase("a = 1 # \u{01}", 1, 9, "control character not allowed in a comment"),
        InvalidCase("a = 1\r b = 2", 1, 6, "carriage return must be followed by a line feed"),
        InvalidCase("a = True", 1, 5, "booleans are lowercase"),
        InvalidCase("a = bare", 1, 5, "strings are quoted"),
        InvalidCase("a = truely", 1, 5, "booleans are lowercase"),
        // Strings
        InvalidCase("a = \"open", 1, 10, "unterminated string (started at 1:5)"),
        InvalidCase("a = \"line\nbreak\"", 1, 10, "unterminated string"),
        InvalidCase("a = \"\\q\"", 1, 6, "invalid escape sequence '\\q'"),
        InvalidCase("a = \"\\u12\"", 1, 10, "expected 4 hexadecimal digits"),
        InvalidCase("a = \"\\uD800\"", 1, 6, "is not a Unicode scalar value"),
        InvalidCase("a = \"\\U00110000\"", 1, 6, "is not a Unicode scalar value"),
        InvalidCase("a = \"bell\u{07}\"", 1, 10, "control character U+7 must be escaped"),
        InvalidCase("a = 'open", 1, 10, "unterminated literal string"),
        InvalidCase("a = \"\"\"never closed", 1, 20, "unterminated multi-line string"),
        InvalidCase("a = \"\"\"six\"\"\"\"\"\"", 1, 11, "too many quotes"),
        InvalidCase("a = '''x\u{00}'''", 1, 9, "control character U+0 must be escaped"),
        // Integers
        InvalidCase("a = 012", 1, 5, "leading zeros are not allowed"),
        InvalidCase("a = 1__2", 1, 5, "an underscore must sit between two digits"),
        InvalidCase("a = _1", 1, 5, "an underscore must sit between two digits"),
        InvalidCase("a = 1_", 1, 5, "an underscore must sit between two digits"),
        InvalidCase("a = 9223372036854775808", 1, 5, "does not fit a 64-bit signed integer"),
        InvalidCase("a = 0xFFFFFFFFFFFFFFFF", 1, 5, "does not fit a 64-bit signed integer"),
        InvalidCase("a = 0o8", 1, 5, "octal digits expected"),
        InvalidCase("a = 0b102", 1, 5, "binary digits expected"),
        InvalidCase("a = 0x", 1, 5, "hexadecimal digits expected"),
        InvalidCase("a = 0X10", 1, 5, "digits expected, found 'X'"),
        // Floats
        InvalidCase("a = 1.", 1, 5, "digits after the decimal point expected"),
        InvalidCase("a = .5", 1, 5, "digits before the decimal point expected"),
        InvalidCase("a = 1e", 1, 5, "exponent digits expected"),
        InvalidCase("a = 01.5", 1, 5, "leading zeros are not allowed"),
        InvalidCase("a = 1.2.3", 1, 5, "at most one decimal point"),
        InvalidCase("a = infinity", 1, 5, "found 'infinity'"),
        InvalidCase("a = +infinity", 1, 5, "invalid value '+infinity'"),
        // Dates and times
        InvalidCase("a = 2023-02-29", 1, 5, "day 29 does not exist in 2023-02"),
        InvalidCase("a = 2023-13-01", 1, 5, "month 13 is not 01–12"),
        InvalidCase("a = 2023-01-01T25:00:00", 1, 5, "hour 25 is not 00–23"),
        InvalidCase("a = 07:60:00", 1, 5, "minute 60 is not 00–59"),
        InvalidCase("a = 07:32", 1, 5, "a time is written HH:MM:SS"),
        InvalidCase("a = 2023-01-01T07:32:00+5:00", 1, 5, "expected a time offset"),
        InvalidCase("a = 07:32:00.", 1, 5, "digits expected after the decimal point"),
        // Arrays and inline tables
        InvalidCase("a = [1 2]", 1, 8, "expected ',' or ']' in the array"),
        InvalidCase("a = [1,", 1, 8, "expected a value, found end of file"),
        InvalidCase("a = [,]", 1, 6, "expected a value"),
        InvalidCase("a = { x = 1, }", 1, 14, "trailing comma is not allowed"),
        InvalidCase("a = { x = 1\n}", 1, 12, "must stay on one line"),
        InvalidCase("a = { x = 1, x = 2 }", 1, 14, "duplicate key 'x'"),
        InvalidCase("a = { b = 1 }\na.c = 2", 2, 1, "an inline table, which cannot be extended"),
        InvalidCase("a = { b = 1 }\n[a]", 2, 2, "cannot define table 'a'"),
        InvalidCase("a = { b = 1 }\n[a.c]", 2, 2, "an inline table, which cannot be extended"),
        // Tables
        InvalidCase("[a]\n[a]", 2, 2, "table 'a' is already defined (first defined at 1:1)"),
        InvalidCase("[a]\nb = 1\n[a.b]", 3, 4, "cannot define table 'a.b': it is already defined as a integer"),
        InvalidCase("[a]\nb.c = 1\n[a.b]", 3, 4, "table 'a.b' is already defined by dotted keys"),
        InvalidCase("[a.b]\nz = 1\n[a]\nb.c = 2", 4, 1, "it is a table defined by a [header]"),
        InvalidCase("[a", 1, 3, "expected ']' to close the table header"),
        InvalidCase("[[a]\n", 1, 5, "expected ']]' to close the array-of-tables header"),
        InvalidCase("[]", 1, 2, "expected a key"),
        InvalidCase("[a] b = 1", 1, 5, "expected end of line"),
        // Arrays of tables
        InvalidCase("a = [1]\n[[a]]", 2, 3, "cannot define 'a' as an array of tables: it is already defined as a static array"),
        InvalidCase("[a]\n[[a]]", 2, 3, "cannot define 'a' as an array of tables: it is already defined as a table"),
        InvalidCase("[[a]]\n[a]", 2, 2, "cannot define table 'a': it is already defined as an array of tables"),
        InvalidCase("[[a]]\nb = 1\n[[a]]\nb = 1\nb = 2", 5, 1, "duplicate key 'b'"),
    ]

    @Test(arguments: cases)
    func isRejectedAtItsPosition(_ invalid: InvalidCase) {
        do {
            let parsed = try TOMLParser.parse(invalid.text, file: "bad.toml")
            Issue.record("accepted: \(parsed.keys)")
        } catch {
            #expect(error.file == "bad.toml")
            #expect(error.position == TOMLPosition(line: invalid.line, column: invalid.column), "\(error)")
            #expect(error.message.contains(invalid.message), "\(error)")
            #expect(error.description.hasPrefix("bad.toml:\(error.position.line):\(error.position.column): "))
        }
    }
}
