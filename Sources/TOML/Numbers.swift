/// Integers, floats, and the token scan shared with dates and times (toml.io v1.0.0 "Integer",
/// "Float", "Offset Date-Time" … "Local Time").
extension DocumentParser {
    private static func isTokenScalar(_ scalar: Unicode.Scalar) -> Bool {
        isBareKeyScalar(scalar) || scalar == "+" || scalar == "." || scalar == ":"
    }

    /// Reads the value token at the cursor and decides what it is.
    mutating func parseNumberOrDateTime() throws(TOMLError) -> TOMLValue {
        let start = cursor.position
        var token = ""
        while let scalar = cursor.peek(), Self.isTokenScalar(scalar) {
            token.unicodeScalars.append(scalar)
            cursor.advance()
        }
        // A date and a time may be separated by one space (RFC 3339 §5.6 note).
        if DateTimeText.isDate(token), cursor.peek() == " ", let a = cursor.peek(1), let b = cursor.peek(2),
           a.properties.numericType != nil, b.properties.numericType != nil, cursor.peek(3) == ":" {
            cursor.advance()
            token += "T"
            while let scalar = cursor.peek(), Self.isTokenScalar(scalar) {
                token.unicodeScalars.append(scalar)
                cursor.advance()
            }
        }
        guard !token.isEmpty else { throw cursor.error("expected a value, \(cursor.found)") }
        if let first = token.unicodeScalars.first, first.properties.isAlphabetic, !["inf", "nan"].contains(token) {
            throw cursor.error("expected a value, found '\(token)' (strings are quoted; booleans are lowercase true or false)",
                               at: start)
        }
        do throws(DateTimeText.Invalid) {
            if DateTimeText.isDate(token) || DateTimeText.isTime(token) { return try DateTimeText.parse(token) }
            return try NumberText.parse(token)
        } catch {
            throw cursor.error("invalid value '\(token)': \(error.reason)", at: start)
        }
    }
}

/// Numbers from their text.
enum NumberText {
    static func parse(_ token: String) throws(DateTimeText.Invalid) -> TOMLValue {
        switch token {
        case "inf", "+inf": return .float(.infinity)
        case "-inf": return .float(-.infinity)
        case "nan", "+nan", "-nan": return .float(.nan)
        default: break
        }
        for (prefix, radix, name) in [("0x", 16, "hexadecimal"), ("0o", 8, "octal"), ("0b", 2, "binary")] where token.hasPrefix(prefix) {
            let digits = try cleaned(String(token.dropFirst(2)), what: "\(name) digits") { UInt8(String($0), radix: radix) != nil }
            guard let value = UInt64(digits, radix: radix) else { throw .init("\(name) digits expected") }
            guard value <= UInt64(Int64.max) else { throw .init("does not fit a 64-bit signed integer") }
            return .integer(Int64(value))
        }
        let sign = token.first == "+" || token.first == "-" ? String(token.first!) : ""
        let body = String(token.dropFirst(sign.count))
        if body.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
            return .float(try parseFloat(body, sign: sign))
        }
        let digits = try cleaned(body, what: "digits") { $0.isASCII && $0.isNumber }
        guard digits == "0" || !digits.hasPrefix("0") else { throw .init("leading zeros are not allowed") }
        guard let value = Int64(sign + digits) else { throw .init("does not fit a 64-bit signed integer") }
        return .integer(value)
    }

    private static func parseFloat(_ body: String, sign: String) throws(DateTimeText.Invalid) -> Double {
        let exponentIndex = body.firstIndex { $0 == "e" || $0 == "E" }
        let mantissa = String(body[..<(exponentIndex ?? body.endIndex)])
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2 else { throw .init("a float has at most one decimal point") }
        let isDigit: (Character) -> Bool = { $0.isASCII && $0.isNumber }
        let integer = try cleaned(parts[0], what: "digits before the decimal point", isDigit)
        guard integer == "0" || !integer.hasPrefix("0") else { throw .init("leading zeros are not allowed") }
        var text = sign + integer
        if parts.count == 2 { text += "." + (try cleaned(parts[1], what: "digits after the decimal point", isDigit)) }
        if let exponentIndex {
            var exponent = String(body[body.index(after: exponentIndex)...])
            var exponentSign = ""
            if exponent.first == "+" || exponent.first == "-" { exponentSign = String(exponent.removeFirst()) }
            text += "e" + exponentSign + (try cleaned(exponent, what: "exponent digits", isDigit))
        }
        guard let value = Double(text) else { throw .init("not a float") }
        return value
    }

    /// `text` without its underscores, each of which must sit between two digits.
    private static func cleaned(_ text: String, what: String, _ isDigit: (Character) -> Bool) throws(DateTimeText.Invalid) -> String {
        guard !text.isEmpty else { throw .init("\(what) expected") }
        var result = ""
        var previousWasDigit = false
        for (index, character) in text.enumerated() {
            if character == "_" {
                guard previousWasDigit, index + 1 < text.count else { throw .init("an underscore must sit between two digits") }
                previousWasDigit = false
                continue
            }
            guard isDigit(character) else { throw .init("\(what) expected, found '\(character)'") }
            previousWasDigit = true
            result.append(character)
        }
        guard previousWasDigit else { throw .init("an underscore must sit between two digits") }
        return result
    }
}
