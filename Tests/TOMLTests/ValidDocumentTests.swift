import Testing
import TOML

private func parse(_ text: String) throws -> TOMLTable { try TOMLParser.parse(text, file: "test.toml") }

private func table(_ value: TOMLValue?) -> TOMLTable? {
    if case .table(let table)? = value { table } else { nil }
}

/// Valid documents and the values they must produce, one construct per test (toml.io v1.0.0).
@Suite struct ValidDocumentTests {
    @Test func basicStringsWithEveryEscape() throws {
        let doc = try parse(#"""
        plain = "hello"
        escapes = "b\b t\t n\n f\f r\r q\" s\\ u\u00E9 U\U0001F600"
        empty = ""
        tab = "a	b"
        """#)
        #expect(doc["plain"] == .string("hello"))
        #expect(doc["escapes"] == .string("b\u{08} t\t n\n f\u{0C} r\r q\" s\\ u\u{E9} U\u{1F600}"))
        #expect(doc["empty"] == .string(""))
        #expect(doc["tab"] == .string("a\tb"))
    }

    @Test func multilineBasicStrings() throws {
        let doc = try parse("a = \"\"\"\nRoses\nViolets\"\"\"\nb = \"\"\"\\\n   The quick \\\n\n   brown\"\"\"\nc = \"\"\"\"quoted\"\"\"\"\nd = \"\"\"two\"\"\"\"\"\ne = \"\"\"x\r\ny\"\"\"")
        #expect(doc["a"] == .string("Roses\nViolets"))
        #expect(doc["b"] == .string("The quick brown"))
        #expect(doc["c"] == .string("\"quoted\""))
        #expect(doc["d"] == .string("two\"\""))
        #expect(doc["e"] == .string("x\ny"))
    }

    @Test func literalStrings() throws {
        let doc = try parse("path = 'C:\\Users\\nodejs'\nquoted = 'Tom \"Dubs\" Preston'\nraw = '''\nThe first newline is\ntrimmed in raw strings.\\n'''\nends = '''ab''''\n")
        #expect(doc["path"] == .string("C:\\Users\\nodejs"))
        #expect(doc["quoted"] == .string("Tom \"Dubs\" Preston"))
        #expect(doc["raw"] == .string("The first newline is\ntrimmed in raw strings.\\n"))
        #expect(doc["ends"] == .string("ab'"))
    }

    @Test func integersInEveryBase() throws {
        let doc = try parse("""
        a = +99
        b = 42
        c = 0
        d = -17
        e = 1_000_000
        f = 0xDEAD_beef
        g = 0o755
        h = 0b1101_0110
        i = 9223372036854775807
        j = -9223372036854775808
        k = +0
        l = -0
        """)
        #expect(doc["a"] == .integer(99))
        #expect(doc["b"] == .integer(42))
        #expect(doc["c"] == .integer(0))
        #expect(doc["d"] == .integer(-17))
        #expect(doc["e"] == .integer(1_000_000))
        #expect(doc["f"] == .integer(0xDEAD_BEEF))
        #expect(doc["g"] == .integer(0o755))
        #expect(doc["h"] == .integer(0b1101_0110))
        #expect(doc["i"] == .integer(Int64.max))
        #expect(doc["j"] == .integer(Int64.min))
        #expect(doc["k"] == .integer(0))
        #expect(doc["l"] == .integer(0))
    }

    @Test func floatsIncludingInfinityAndNaN() throws {
        let doc = try parse("""
        a = +1.0
        b = 3.1415
        c = -0.01
        d = 5e+22
        e = 1e06
        f = -2E-2
        g = 6.626e-34
        h = 224_617.445_991
        i = inf
        j = +inf
        k = -inf
        l = nan
        m = -nan
        n = -0.0
        """)
        #expect(doc["a"] == .float(1.0))
        #expect(doc["b"] == .float(3.1415))
        #expect(doc["c"] == .float(-0.01))
        #expect(doc["d"] == .float(5e22))
        #expect(doc["e"] == .float(1e6))
        #expect(doc["f"] == .float(-2e-2))
        #expect(doc["g"] == .float(6.626e-34))
        #expect(doc["h"] == .float(224_617.445_991))
        #expect(doc["i"] == .float(.infinity))
        #expect(doc["j"] == .float(.infinity))
        #expect(doc["k"] == .float(-.infinity))
        for key in ["l", "m"] {
            guard case .float(let value)? = doc[key] else { Issue.record("\(key) is not a float"); continue }
            #expect(value.isNaN)
        }
        #expect(doc["n"] == .float(-0.0))
    }

    @Test func booleans() throws {
        let doc = try parse("t = true\nf = false")
        #expect(doc["t"] == .boolean(true))
        #expect(doc["f"] == .boolean(false))
    }

    @Test func datesAndTimes() throws {
        let doc = try parse("""
        odt1 = 1979-05-27T07:32:00Z
        odt2 = 1979-05-27T00:32:00-07:00
        odt3 = 1979-05-27T00:32:00.999999+05:30
        odt4 = 1979-05-27 07:32:00z
        ldt1 = 1979-05-27T07:32:00
        ldt2 = 1979-05-27t00:32:00.5
        ld = 2024-02-29
        lt1 = 07:32:00
        lt2 = 00:32:00.123456789123
        """)
        let date = TOMLDate(year: 1979, month: 5, day: 27)
        #expect(doc["odt1"] == .offsetDateTime(date, TOMLTime(hour: 7, minute: 32, second: 0), offsetMinutes: 0))
        #expect(doc["odt2"] == .offsetDateTime(date, TOMLTime(hour: 0, minute: 32, second: 0), offsetMinutes: -420))
        #expect(doc["odt3"] == .offsetDateTime(date, TOMLTime(hour: 0, minute: 32, second: 0, nanosecond: 999_999_000), offsetMinutes: 330))
        #expect(doc["odt4"] == .offsetDateTime(date, TOMLTime(hour: 7, minute: 32, second: 0), offsetMinutes: 0))
        #expect(doc["ldt1"] == .localDateTime(date, TOMLTime(hour: 7, minute: 32, second: 0)))
        #expect(doc["ldt2"] == .localDateTime(date, TOMLTime(hour: 0, minute: 32, second: 0, nanosecond: 500_000_000)))
        #expect(doc["ld"] == .localDate(TOMLDate(year: 2024, month: 2, day: 29)))
        #expect(doc["lt1"] == .localTime(TOMLTime(hour: 7, minute: 32, second: 0)))
        #expect(doc["lt2"] == .localTime(TOMLTime(hour: 0, minute: 32, second: 0, nanosecond: 123_456_789)))
    }

    @Test func arraysMixedNestedMultilineWithComments() throws {
        let doc = try parse("""
        integers = [ 1, 2, 3 ]
        nested = [ [ 1, 2 ], ["a", 'b'] ]
        mixed = [ 0.1, "x", true, { k = 1 } ]
        empty = []
        multi = [
          1, # one
          2,
          # a comment line
        ]
        """)
        #expect(doc["integers"] == .array([.integer(1), .integer(2), .integer(3)]))
        #expect(doc["nested"] == .array([.array([.integer(1), .integer(2)]), .array([.string("a"), .string("b")])]))
        guard case .array(let mixed)? = doc["mixed"] else { Issue.record("mixed"); return }
        #expect(mixed.count == 4)
        #expect(table(mixed[3])?["k"] == .integer(1))
        #expect(doc["empty"] == .array([]))
        #expect(doc["multi"] == .array([.integer(1), .integer(2)]))
    }

    @Test func inlineTablesWithDottedKeys() throws {
        let doc = try parse(#"point = { x = 1, y = 2 }"# + "\n" + #"animal = { type.name = "pug" }"# + "\nempty = {}")
        #expect(table(doc["point"])?.keys == ["x", "y"])
        #expect(table(doc["point"])?["y"] == .integer(2))
        #expect(table(table(doc["animal"])?["type"])?["name"] == .string("pug"))
        #expect(table(doc["empty"])?.keys == [])
    }

    @Test func tablesDottedAndQuotedKeys() throws {
        let doc = try parse("""
        # comment
        title = "x"
        site."google.com" = true
        "quoted key" = 1
        'literal key' = 2
        "" = 3
        fruit . color = "yellow"
        3.14 = "pi"

        [dog."tater.man"]
        type.name = "pug"

        [a.b.c]
        x = 1
        [a]
        y = 2
        [a.b.d]
        """)
        #expect(doc.keys == ["title", "site", "quoted key", "literal key", "", "fruit", "3", "dog", "a"])
        #expect(table(doc["site"])?["google.com"] == .boolean(true))
        #expect(table(doc["fruit"])?["color"] == .string("yellow"))
        #expect(table(doc["3"])?["14"] == .string("pi"))
        let dog = table(table(doc["dog"])?["tater.man"])
        #expect(table(dog?["type"])?["name"] == .string("pug"))
        let a = table(doc["a"])
        #expect(a?["y"] == .integer(2))
        #expect(table(table(a?["b"])?["c"])?["x"] == .integer(1))
        #expect(table(table(a?["b"])?["d"])?.keys == [])
    }

    @Test func dottedKeyTablesMayGainSubTablesByHeader() throws {
        let doc = try parse("[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n[fruit.apple.texture]\nsmooth = true")
        let apple = table(table(doc["fruit"])?["apple"])
        #expect(apple?.keys == ["color", "taste", "texture"])
        #expect(table(apple?["texture"])?["smooth"] == .boolean(true))
    }

    @Test func arraysOfTablesWithSubTables() throws {
        let doc = try parse("""
        [[fruits]]
        name = "apple"
        [fruits.physical]
        color = "red"
        [[fruits.varieties]]
        name = "red delicious"
        [[fruits.varieties]]
        name = "granny smith"

        [[fruits]]
        name = "banana"
        [[fruits.varieties]]
        name = "plantain"
        """)
        guard case .array(let fruits)? = doc["fruits"] else { Issue.record("fruits"); return }
        #expect(fruits.count == 2)
        #expect(table(fruits[0])?["name"] == .string("apple"))
        #expect(table(table(fruits[0])?["physical"])?["color"] == .string("red"))
        guard case .array(let varieties)? = table(fruits[0])?["varieties"] else { Issue.record("varieties"); return }
        #expect(varieties.count == 2)
        guard case .array(let bananas)? = table(fruits[1])?["varieties"] else { Issue.record("banana varieties"); return }
        #expect(table(bananas[0])?["name"] == .string("plantain"))
    }

    @Test func positionsNameWhereKeysWereDefined() throws {
        let doc = try parse("a = 1\n\n[server]\n  port = 80\n[[check]]\nx = 1")
        #expect(doc.position(of: "a") == TOMLPosition(line: 1, column: 1))
        #expect(doc.position(of: "server") == TOMLPosition(line: 3, column: 1))
        #expect(table(doc["server"])?.position(of: "port") == TOMLPosition(line: 4, column: 3))
        guard case .array(let checks)? = doc["check"] else { Issue.record("check"); return }
        #expect(table(checks[0])?.position == TOMLPosition(line: 5, column: 1))
        #expect(table(checks[0])?.position(of: "x") == TOMLPosition(line: 6, column: 1))
    }

    @Test func byteOrderMarkCRLFAndTrailingComments() throws {
        let doc = try parse("\u{FEFF}a = 1 # one\r\n[t] # table\r\nb = 'x'\r\n")
        #expect(doc["a"] == .integer(1))
        #expect(table(doc["t"])?["b"] == .string("x"))
    }
}
