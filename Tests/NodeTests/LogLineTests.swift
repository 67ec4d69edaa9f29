import Foundation
import Testing
@testable import Node

@Suite struct LogLineTests {
    let line = LogLine(time: Date(timeIntervalSince1970: 1_764_632_109.25), level: .info, event: "dns.delete",
                       message: "removed 192.0.2.1 from www.example.com",
                       fields: [("term", "7"), ("voters", "fra-1,iad-1"), ("reason", "down for 3.2 s\nby \"two\"")])

    @Test func textIsOneLineWithQuotedValuesWhereNeeded() {
        let text = line.rendered(as: .text)
        #expect(text == #"2025-12-01T23:35:09.250Z INFO dns.delete removed 192.0.2.1 from www.example.com term=7 voters=fra-1,iad-1 reason="down for 3.2 s\nby \"two\"""#)
        #expect(!text.contains("\n"))
    }

    @Test func jsonIsOneObjectPerLineThatFoundationReadsBack() throws {
        let json = line.rendered(as: .json)
        #expect(!json.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String])
        #expect(object["event"] == "dns.delete")
        #expect(object["level"] == "info")
        #expect(object["reason"] == "down for 3.2 s\nby \"two\"")
        #expect(object["time"] == "2025-12-01T23:35:09.250Z")
    }

    @Test func controlCharactersCannotBreakALine() throws {
        let hostile = LogLine(time: Date(timeIntervalSince1970: 0), level: .error, event: "x", message: "m",
                              fields: [("peer", "a\u{1}b\u{7F}\r")])
        #expect(hostile.rendered(as: .text).hasSuffix(#"peer="a\u0001b\u007f\r""#))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(hostile.rendered(as: .json).utf8)) as? [String: String])
        #expect(object["peer"] == "a\u{1}b\u{7F}\r")
    }

    @Test func levelsAreOrdered() {
        #expect(LogLine.Level.debug < .info && LogLine.Level.info < .warning && LogLine.Level.warning < .error)
    }
}
