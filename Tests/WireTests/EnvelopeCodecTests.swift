import SansIO
import Testing
@testable import Wire

@Suite struct EnvelopeCodecTests {
    @Test(arguments: MessageKind.allCases)
    func roundTripIncludingMaximumSizes(kind: MessageKind) throws {
        let cases = [
            Envelope(sender: "a", bootEpoch: 0, sequence: 0, kind: kind, body: []),
            Envelope(sender: String(repeating: "é", count: Envelope.maximumSenderLength / 2), bootEpoch: .max,
                     sequence: .max, kind: kind, body: [UInt8](repeating: 0xFF, count: Envelope.maximumBodyLength)),
        ]
        for envelope in cases { #expect(try Envelope.decode(envelope.encode()) == envelope) }
        var tooLongBody = cases[1]
        tooLongBody.body.append(0)
        #expect(throws: DecodeError.self) { try Envelope.decode(tooLongBody.encode()) }
    }

    /// 100,000 seeded inputs (random bytes and mutations of valid envelopes and frames) reach every
    /// decoder; each yields a value or an error, never a trap.
    @Test func seededFuzzNeverTraps() throws {
        var rng = SeededGenerator(seed: 0xF0_22)
        let ring = Fixtures.ring(Fixtures.key(1))
        var sender = Fixtures.channel(ring)
        var receiver = Fixtures.channel(ring, seed: 2)
        var plain = SecureChannel(clusterName: "prod", security: .plaintext, nonces: .random)
        var seeds: [[UInt8]] = []
        for kind in MessageKind.allCases {
            let envelope = Envelope(sender: "node", bootEpoch: 3, sequence: 9, kind: kind,
                                    body: (0..<Int.random(in: 0...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
            seeds.append(envelope.encode())
            seeds.append(try sender.seal(envelope))
        }
        var accepted = 0, rejected = 0
        for _ in 0..<100_000 {
            var input = seeds[Int.random(in: 0..<seeds.count, using: &rng)]
            switch Int.random(in: 0..<5, using: &rng) {
            case 0:
                input = (0..<Int.random(in: 0...1_500, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            case 1:
                for _ in 0...Int.random(in: 0..<4, using: &rng) {
                    let bit = Int.random(in: 0..<(input.count * 8), using: &rng)
                    input[bit / 8] ^= 1 << UInt8(bit % 8)
                }
            case 2:
                input.removeLast(Int.random(in: 0...input.count, using: &rng))
            case 3:
                input += (0..<Int.random(in: 1...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            default:
                if !input.isEmpty { input[Int.random(in: 0..<input.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            }
            if (try? Envelope.decode(input)) != nil { accepted += 1 } else { rejected += 1 }
            _ = try? SealedFrame.parse(input)
            _ = receiver.open(input)
            _ = plain.open(input)
        }
        #expect(accepted + rejected == 100_000)
        #expect(rejected > 50_000)
    }
}
