import Raft
import SansIO
import Testing
import Wire

@Suite struct ElectionMessageCodecTests {
    static let samples: [ElectionMessage] = [
        .preVoteRequest(term: 0), .preVoteRequest(term: .max),
        .preVoteResponse(term: 7, granted: true), .preVoteResponse(term: 7, granted: false),
        .voteRequest(term: 300, isTransfer: false), .voteRequest(term: 1 << 40, isTransfer: true),
        .voteResponse(term: 1, granted: true), .voteResponse(term: .max, granted: false),
        .heartbeat(term: 2, round: 0), .heartbeat(term: .max, round: .max),
        .heartbeatAck(term: 3, round: 127, accepted: true), .heartbeatAck(term: .max, round: .max, accepted: false),
        .timeoutNow(term: 12),
    ]

    @Test(arguments: samples)
    func roundTrips(message: ElectionMessage) throws {
        let bytes = message.encoded()
        #expect(bytes.count <= 22)
        #expect(try ElectionMessage.decode(bytes) == message)
        #expect(try ElectionMessage.decode(bytes).term == message.term)
    }

    @Test func knownEncoding() {
        #expect(ElectionMessage.heartbeatAck(term: 300, round: 1, accepted: true).encoded() == [6, 0xAC, 0x02, 1, 1])
        #expect(ElectionMessage.timeoutNow(term: 5).encoded() == [7, 5])
    }

    @Test(arguments: samples)
    func everyTruncationIsRejected(message: ElectionMessage) {
        let bytes = message.encoded()
        for length in 0..<bytes.count {
            #expect(throws: DecodeError.self) { try ElectionMessage.decode(Array(bytes[0..<length])) }
        }
    }

    @Test func rejectsBadInput() {
        #expect(throws: DecodeError.invalidValue(field: "election.tag")) { try ElectionMessage.decode([0, 1]) }
        #expect(throws: DecodeError.invalidValue(field: "election.tag")) { try ElectionMessage.decode([8, 1]) }
        #expect(throws: DecodeError.invalidValue(field: "election.granted")) { try ElectionMessage.decode([2, 1, 2]) }
        #expect(throws: DecodeError.trailingBytes(count: 1)) { try ElectionMessage.decode([7, 1, 0]) }
        #expect(throws: DecodeError.invalidValue(field: "election.term")) { try ElectionMessage.decode([7, 0x80, 0x00]) }
    }

    /// 20,000 seeded random inputs (pure noise and mutated valid messages): decoding never traps,
    /// and whatever decodes re-encodes to exactly the same bytes (the encoding is canonical).
    @Test func seededFuzz() {
        var rng = SeededGenerator(seed: 0xF022)
        var decoded = 0
        for iteration in 0..<20_000 {
            var bytes: [UInt8]
            if iteration % 2 == 0 {
                bytes = (0..<Int.random(in: 0...24, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                if !bytes.isEmpty, iteration % 4 == 0 { bytes[0] = UInt8.random(in: 1...7, using: &rng) }
            } else {
                bytes = Self.samples.randomElement(using: &rng)!.encoded()
                let index = Int.random(in: 0..<bytes.count, using: &rng)
                bytes[index] ^= UInt8(1) << UInt8.random(in: 0...7, using: &rng)
                if rng.next() & 3 == 0 { bytes.append(UInt8.random(in: 0...255, using: &rng)) }
            }
            if let message = try? ElectionMessage.decode(bytes) {
                decoded += 1
                #expect(message.encoded() == bytes, "input \(bytes)")
            }
        }
        #expect(decoded > 1_000)  // the fuzzer reaches the decoders, not just the tag check
    }
}
