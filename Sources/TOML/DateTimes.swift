/// Dates and times from their text (toml.io v1.0.0 "Offset Date-Time", "Local Date-Time",
/// "Local Date", "Local Time"; RFC 3339 with seconds required).
enum DateTimeText {
    /// Why a token is not a valid value.
    struct Invalid: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// Starts like `YYYY-MM-DD`.
    static func isDate(_ token: String) -> Bool {
        let scalars = Array(token.unicodeScalars)
        guard scalars.count >= 10, scalars[4] == "-", scalars[7] == "-" else { return false }
        return [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy { scalars[$0].properties.numericType != nil && scalars[$0].isASCII }
    }

    /// Starts like `HH:MM`.
    static func isTime(_ token: String) -> Bool {
        let scalars = Array(token.unicodeScalars)
        return scalars.count >= 5 && scalars[2] == ":" && [0, 1, 3, 4].allSatisfy { scalars[$0].isASCII && scalars[$0].properties.numericType != nil }
    }

    static func parse(_ token: String) throws(Invalid) -> TOMLValue {
        let scalars = Array(token.unicodeScalars)
        guard isDate(token) else { return .localTime(try parseTime(scalars[...]).time) }
        let date = try parseDate(scalars[0..<10])
        if scalars.count == 10 { return .localDate(date) }
        guard scalars[10] == "T" || scalars[10] == "t" else { throw Invalid("expected 'T' or a space between date and time") }
        let (time, rest) = try parseTime(scalars[11...])
        if rest.isEmpty { return .localDateTime(date, time) }
        return .offsetDateTime(date, time, offsetMinutes: try parseOffset(rest))
    }

    private static func number(_ digits: ArraySlice<Unicode.Scalar>) throws(Invalid) -> Int {
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.properties.numericType != nil }),
              let value = Int(String(String.UnicodeScalarView(digits))) else { throw Invalid("digits expected") }
        return value
    }

    private static func parseDate(_ scalars: ArraySlice<Unicode.Scalar>) throws(Invalid) -> TOMLDate {
        let base = scalars.startIndex
        let year = try number(scalars[base..<base + 4])
        let month = try number(scalars[base + 5..<base + 7]), day = try number(scalars[base + 8..<base + 10])
        guard (1...12).contains(month) else { throw Invalid("month \(month) is not 01–12") }
        let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...days).contains(day) else { throw Invalid("day \(day) does not exist in \(year)-\(month < 10 ? "0" : "")\(month)") }
        return TOMLDate(year: year, month: month, day: day)
    }

    /// `HH:MM:SS[.fraction]` and what follows it.
    private static func parseTime(_ scalars: ArraySlice<Unicode.Scalar>) throws(Invalid) -> (time: TOMLTime, rest: ArraySlice<Unicode.Scalar>) {
        let base = scalars.startIndex
        guard scalars.count >= 8, scalars[base + 2] == ":", scalars[base + 5] == ":" else {
            throw Invalid("a time is written HH:MM:SS")
        }
        let hour = try number(scalars[base..<base + 2]), minute = try number(scalars[base + 3..<base + 5])
        let second = try number(scalars[base + 6..<base + 8])
        guard hour < 24 else { throw Invalid("hour \(hour) is not 00–23") }
        guard minute < 60 else { throw Invalid("minute \(minute) is not 00–59") }
        guard second <= 60 else { throw Invalid("second \(second) is not 00–60") }
        var index = base + 8
        var nanosecond = 0
        if index < scalars.endIndex, scalars[index] == "." {
            index += 1
            let digitsStart = index
            while index < scalars.endIndex, scalars[index].isASCII, scalars[index].properties.numericType != nil { index += 1 }
            guard index > digitsStart else { throw Invalid("digits expected after the decimal point") }
            let digits = scalars[digitsStart..<min(index, digitsStart + 9)]
            nanosecond = try number(digits) * Int(pow10(9 - digits.count))
        }
        return (TOMLTime(hour: hour, minute: minute, second: second, nanosecond: nanosecond), scalars[index...])
    }

    private static func pow10(_ exponent: Int) -> Int { (0..<exponent).reduce(1) { value, _ in value * 10 } }

    /// `Z` or `±HH:MM`, in minutes east of UTC.
    private static func parseOffset(_ scalars: ArraySlice<Unicode.Scalar>) throws(Invalid) -> Int {
        if scalars.count == 1, scalars.first == "Z" || scalars.first == "z" { return 0 }
        let base = scalars.startIndex
        guard scalars.count == 6, scalars[base] == "+" || scalars[base] == "-", scalars[base + 3] == ":" else {
            throw Invalid("expected a time offset Z or ±HH:MM")
        }
        let hours = try number(scalars[base + 1..<base + 3]), minutes = try number(scalars[base + 4..<base + 6])
        guard hours < 24, minutes < 60 else { throw Invalid("time offset out of range") }
        return (scalars[base] == "-" ? -1 : 1) * (hours * 60 + minutes)
    }
}
