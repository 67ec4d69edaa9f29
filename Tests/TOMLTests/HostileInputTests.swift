import Testing
import TOML

/// Input built to hurt a recursive parser: deep nesting and very long keys end in one positioned
/// error (never a stack overflow), and keys are told apart by their exact Unicode scalars.
@Suite struct HostileInputTests {
    static let limit = TOMLParser.maximumDepth

    func rejection(_ text: String) -> TOMLError? {
        do {
            _ = try TOMLParser.parse(text, file: "deep.toml")
            return nil
        } catch {
            return error
        }
    }

    @Test func arraysNested20000DeepStopAtTheLimit() throws {
        let text = "a = " + String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_000)
        let error = try #require(rejection(text))
        // `a` is depth 1, so the array that would put its contents past the limit is the 128th.
        #expect(error.position == TOMLPosition(line: 1, column: 5 + Self.limit - 1), "\(error)")
        #expect(error.description.hasPrefix("deep.toml:1:\(4 + Self.limit): nested deeper than 128 levels"), "\(error)")
    }

    @Test func inlineTablesNested20000DeepStopAtTheLimit() throws {
        let text = "a = " + String(repeating: "{ b = ", count: 20_000) + "1" + String(repeating: " }", count: 20_000)
        let error = try #require(rejection(text))
        #expect(error.message.contains("nested deeper than 128 levels"), "\(error)")
        #expect(error.position.line == 1)
    }

    @Test func theDeepestAllowedArrayParses() throws {
        // `a` at depth 1 holds arrays at depths 1...127, the innermost holding 1 at depth 128.
        let arrays = Self.limit - 1
        let parsed = try TOMLParser.parse("a = " + String(repeating: "[", count: arrays) + "1" + String(repeating: "]", count: arrays), file: "ok.toml")
        var value = try #require(parsed["a"])
        var depth = 0
        while case .array(let items) = value, let first = items.first {
            value = first
            depth += 1
        }
        #expect(depth == arrays && value == .integer(1))
        #expect(rejection("a = " + String(repeating: "[", count: arrays + 1) + String(repeating: "]", count: arrays + 1)) != nil)
    }

    @Test func headersAndDottedKeysOf15000SegmentsStopAtTheLimit() throws {
        let key = Array(repeating: "k", count: 15_000).joined(separator: ".")
        let header = try #require(rejection("[\(key)]\n"))
        // Segment 129 starts at column 2 + 2 × 128.
        #expect(header.position == TOMLPosition(line: 1, column: 2 + 2 * Self.limit), "\(header)")
        #expect(header.message.contains("nested deeper than 128 levels"))
        let dotted = try #require(rejection("\(key) = 1\n"))
        #expect(dotted.position == TOMLPosition(line: 1, column: 1 + 2 * Self.limit), "\(dotted)")
        // Under a header, the header's segments count too.
        let nested = try #require(rejection("[a.b]\n" + Array(repeating: "k", count: Self.limit - 1).joined(separator: ".") + " = 1\n"))
        #expect(nested.position == TOMLPosition(line: 2, column: 1 + 2 * (Self.limit - 2)), "\(nested)")
    }

    @Test func theLongestAllowedKeysParse() throws {
        // A header of 127 segments holds `x` at depth 128; so does a dotted key of 128.
        let key = Array(repeating: "k", count: Self.limit - 1).joined(separator: ".")
        #expect(throws: Never.self) { try TOMLParser.parse("[\(key)]\nx = 1\n", file: "ok.toml") }
        #expect(throws: Never.self) { try TOMLParser.parse("\(key).x = 1\n", file: "ok.toml") }
        #expect(rejection("[\(key)]\nx.y = 1\n") != nil)
    }

    @Test func keysCompareByExactScalars() throws {
        // U+00E9 and "e" + U+0301 are canonically equivalent Swift strings but two TOML keys.
        let parsed = try TOMLParser.parse("\"\\u00e9\" = 1\n\"e\\u0301\" = 2\n", file: "keys.toml")
        #expect(parsed.keys.count == 2)
        #expect(parsed["\u{E9}"] == .integer(1))
        #expect(parsed["e\u{301}"] == .integer(2))
        #expect(parsed.position(of: "e\u{301}") == TOMLPosition(line: 2, column: 1))
        // The same scalars are still the same key.
        let duplicate = try #require(rejection("\"\\u00e9\" = 1\n\"\u{E9}\" = 2\n"))
        #expect(duplicate.message.contains("duplicate key"))
        // Tables too: [é] and [e\u0301] are two tables, not a redefinition.
        let tables = try TOMLParser.parse("[\"\\u00e9\"]\nx = 1\n[\"e\\u0301\"]\nx = 2\n", file: "keys.toml")
        #expect(tables.keys.count == 2)
    }
}
