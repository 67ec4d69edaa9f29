import Testing
import SansIO
import TOML

/// Seeded fuzzing: random and mutated documents parse or throw a positioned error, never trap.
@Suite struct ParserFuzzTests {
    static let corpus = [
        "title = \"x\"\n[server]\nport = 7946\npeers = [\"a@10.0.0.1:7946\", 'b@[::1]:7946']\n",
        "[[check]]\naddress = \"10.0.0.1\"\ninterval = \"1s\"\nrise = 2\n[[check]]\nsend = \"\"\"\nPING\\r\\n\"\"\"\n",
        "a.b.c = 1_000\nd = { e = 0x1F, f = [1.5e3, -inf, nan] }\ng = 1979-05-27T07:32:00-08:00\nh = 07:32:00.5\n",
        "'quoted'.\"key\" = '''\nraw\n'''\n# comment\nlist = [\n  1, # one\n  2,\n]\n",
    ]
    static let alphabet = Array("[]{}=,.\"'\\#\n\r\t _-+:0123456789abcdefxobTZeinftruls\u{00}\u{7F}é😀".unicodeScalars)

    @Test func randomAndMutatedDocumentsNeverTrap() {
        var random = SeededGenerator(seed: 0x70AD)
        var accepted = 0, rejected = 0
        for round in 0..<20_000 {
            var scalars: [Unicode.Scalar]
            if round % 4 == 0 {
                scalars = (0..<Int.random(in: 0...80, using: &random)).map { _ in Self.alphabet.randomElement(using: &random)! }
            } else {
                scalars = Array(Self.corpus.randomElement(using: &random)!.unicodeScalars)
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    let index = Int.random(in: 0...scalars.count, using: &random)
                    switch Int.random(in: 0..<3, using: &random) {
                    case 0: scalars.insert(Self.alphabet.randomElement(using: &random)!, at: index)
                    case 1 where index < scalars.count: scalars.remove(at: index)
                    default: if index < scalars.count { scalars[index] = Self.alphabet.randomElement(using: &random)! }
                    }
                }
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)
            do {
                _ = try TOMLParser.parse(text, file: "fuzz.toml")
                accepted += 1
            } catch {
                rejected += 1
                #expect(error.position.line >= 1 && error.position.column >= 1, "round \(round): \(error)")
                #expect(!error.message.isEmpty)
            }
        }
        // Both outcomes occur, so the mutations exercise the parser rather than one early exit.
        #expect(accepted > 100 && rejected > 100, "accepted \(accepted), rejected \(rejected)")
    }

    /// Pieces that nest (or lengthen a key) when repeated, and what closes each.
    static let openers: [(open: String, close: String)] = [("[", "]"), ("{ k = ", " }"), ("[ 1, ", " ]"), ("{ a.b = ", "}")]

    @Test func deepAndLongDocumentsNeverTrap() {
        var random = SeededGenerator(seed: 0xDEE9)
        var accepted = 0, rejected = 0
        for round in 0..<60 {
            // Depths around the limit and far beyond it, unbalanced or truncated at random.
            let depth = [Int.random(in: 100...140, using: &random), Int.random(in: 1_000...20_000, using: &random)][round % 2]
            var text: String
            switch round % 3 {
            case 0:
                let pieces = (0..<depth).map { _ in Self.openers.randomElement(using: &random)! }
                text = "x = " + pieces.map(\.open).joined() + "1" + pieces.reversed().map(\.close).joined()
            case 1:
                let segments = (0..<depth).map { _ in ["k", "\"q\"", "'l'", "0"].randomElement(using: &random)! }
                text = Bool.random(using: &random) ? "[\(segments.joined(separator: "."))]\nv = 1\n" : segments.joined(separator: " . ") + " = 1\n"
            default:
                // Long but flat: many keys, one long string, one wide array.
                text = (0..<depth).map { "k\($0) = \($0)" }.joined(separator: "\n") + "\ns = \"" + String(repeating: "é", count: depth) + "\"\n"
                    + "a = [" + (0..<depth).map(String.init).joined(separator: ",") + "]\n"
            }
            if Bool.random(using: &random) { text = String(text.prefix(Int.random(in: 0...text.count, using: &random))) }
            do {
                _ = try TOMLParser.parse(text, file: "deep.toml")
                accepted += 1
            } catch {
                rejected += 1
                #expect(error.position.line >= 1 && error.position.column >= 1, "round \(round): \(error.message)")
            }
        }
        #expect(accepted > 3 && rejected > 3, "accepted \(accepted), rejected \(rejected)")
    }
}
