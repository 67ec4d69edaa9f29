import Failover
import SansIO
import Testing
import Wire

@Suite struct VoteMessageTests {
    /// 1,000 addresses, IPv4 and IPv6 alternating, the IPv6 ones written out long.
    static func addresses(_ count: Int) -> [String] {
        (0..<count).map { i in
            i.isMultiple(of: 2)
                ? "10.\(i / 65_536).\(i / 256 % 256).\(i % 256)"
                : "2001:0db8:ffff:\(String(i, radix: 16)):0000:0000:\(String(i * 7, radix: 16)):\(String(i % 97, radix: 16))"
        }
    }

    static func views(_ addresses: [String], rng: inout SeededGenerator) -> [EndpointView] {
        addresses.map { address in
            EndpointView(address: address, state: [.unknown, .up, .down][Int.random(in: 0..<3, using: &rng)],
                         age: .milliseconds(Int64.random(in: 0...10_000_000, using: &rng)),
                         successes: Int.random(in: 0...100_000, using: &rng), failures: Int.random(in: 0...5, using: &rng),
                         lastRTT: Bool.random(using: &rng) ? nil : .microseconds(Int64.random(in: 0...5_000_000, using: &rng)))
        }
    }

    @Test func roundTrip() throws {
        let message = VoteMessage(bootEpoch: 7, round: 300, views: [
            EndpointView(address: "192.0.2.10", state: .up, age: .milliseconds(12_345), successes: 40, failures: 0,
                         lastRTT: .microseconds(23_456)),
            EndpointView(address: "2001:db8::1", state: .down, age: .zero, successes: 0, failures: 3, lastRTT: nil),
            EndpointView(address: "198.51.100.7", state: .unknown, age: .seconds(3), lastRTT: .zero),
        ])
        #expect(try VoteMessage.decode(message.encoded()) == message)
        let extremes = VoteMessage(bootEpoch: .max, round: .max, views: [])
        #expect(try VoteMessage.decode(extremes.encoded()) == extremes)
    }

    @Test func outOfRangeFieldsAreClampedWhenEncoding() throws {
        let message = VoteMessage(bootEpoch: 1, round: 1, views: [
            EndpointView(address: "192.0.2.1", state: .up, age: .seconds(-5), successes: -1, failures: .max,
                         lastRTT: .seconds(-1)),
        ])
        let decoded = try VoteMessage.decode(message.encoded())
        #expect(decoded.views.count == 1)
        #expect(decoded.views[0].age == .zero)
        #expect(decoded.views[0].successes == 0)
        #expect(decoded.views[0].failures == 1 << 32)
        #expect(decoded.views[0].lastRTT == .zero)
        // A re-encoding of what was decoded is stable.
        #expect(try VoteMessage.decode(decoded.encoded()) == decoded)
    }

    @Test func malformedBodiesAreRejected() {
        let valid = VoteMessage(bootEpoch: 1, round: 2, views: [EndpointView(address: "192.0.2.1", state: .down, age: .zero)])
            .encoded()
        var wrongVersion = valid
        wrongVersion[0] = 2
        #expect(throws: DecodeError.unsupportedVersion(2)) { try VoteMessage.decode(wrongVersion) }
        #expect(throws: DecodeError.trailingBytes(count: 1)) { try VoteMessage.decode(valid + [0]) }
        #expect(throws: DecodeError.self) { try VoteMessage.decode(Array(valid.dropLast())) }
        #expect(throws: DecodeError.self) { try VoteMessage.decode([]) }
        // The state byte follows the version, two one-byte varints, the count and the address.
        var badState = valid
        badState[1 + 1 + 1 + 1 + 1 + "192.0.2.1".utf8.count] = 3
        #expect(throws: DecodeError.invalidValue(field: "state")) { try VoteMessage.decode(badState) }
        // A count larger than any body can hold is refused before anything is allocated.
        var hugeCount = ByteWriter()
        hugeCount.write(VoteMessage.version)
        hugeCount.writeVarint(1)
        hugeCount.writeVarint(1)
        hugeCount.writeVarint(UInt64.max)
        #expect(throws: DecodeError.self) { try VoteMessage.decode(hugeCount.bytes) }
    }

    @Test(arguments: [(UInt64(1), UInt64(1)), (UInt64.max, UInt64.max)])
    func splitOfAThousandAddressesFitsAndKeepsOrder(bootEpoch: UInt64, round: UInt64) throws {
        var rng = SeededGenerator(seed: 1_000)
        let views = Self.views(Self.addresses(1_000), rng: &rng)
        let messages = VoteMessage.split(views, bootEpoch: bootEpoch, round: round)
        #expect(messages.count > 1)
        for message in messages {
            let body = message.encoded()
            #expect(body.count <= VoteMessage.maximumBodyBytes)
            #expect(message.bootEpoch == bootEpoch && message.round == round)
            #expect(!message.views.isEmpty)
            #expect(try VoteMessage.decode(body) == message)
        }
        #expect(messages.flatMap(\.views) == views)
        // The fewest messages: no message could have taken the next one's first view as well.
        for (message, next) in zip(messages, messages.dropFirst()) {
            let grown = VoteMessage(bootEpoch: bootEpoch, round: round, views: message.views + [next.views[0]])
            #expect(grown.encoded().count > VoteMessage.maximumBodyBytes)
        }
    }

    @Test func splitOfNothingIsOneEmptyMessage() throws {
        let messages = VoteMessage.split([], bootEpoch: 4, round: 9)
        #expect(messages == [VoteMessage(bootEpoch: 4, round: 9, views: [])])
        #expect(try VoteMessage.decode(messages[0].encoded()) == messages[0])
    }

    @Test func splitOfLongAddressesStillFits() {
        var rng = SeededGenerator(seed: 64)
        // Addresses at (and beyond) the 64-byte limit: the encoder truncates, the split must account for it.
        let long = (0..<300).map { "\($0)-" + String(repeating: "f", count: 80) }
        let messages = VoteMessage.split(Self.views(long, rng: &rng), bootEpoch: 1, round: 1)
        for message in messages { #expect(message.encoded().count <= VoteMessage.maximumBodyBytes) }
        #expect(messages.map(\.views.count).reduce(0, +) == 300)
    }

    @Test func isNewerOrdersByBootEpochThenRound() {
        let message = VoteMessage(bootEpoch: 2, round: 1, views: [])
        #expect(message.isNewer(than: (1, 99)))
        #expect(message.isNewer(than: (2, 0)))
        #expect(!message.isNewer(than: (2, 1)))
        #expect(!message.isNewer(than: (3, 0)))
    }

    /// 20,000 seeded inputs (random bytes and mutations of valid bodies) reach the decoder; each
    /// yields a message or an error, never a trap, and whatever decodes re-encodes to the same bytes.
    @Test func seededFuzzNeverTraps() throws {
        var rng = SeededGenerator(seed: 0xF0_13)
        var seeds: [[UInt8]] = []
        for count in [0, 1, 3, 20] {
            let views = Self.views(Self.addresses(count), rng: &rng)
            for message in VoteMessage.split(views, bootEpoch: UInt64.random(in: 0...1 << 40, using: &rng),
                                             round: UInt64.random(in: 0...1_000, using: &rng)) {
                seeds.append(message.encoded())
            }
        }
        var accepted = 0, rejected = 0
        for _ in 0..<20_000 {
            var input = seeds[Int.random(in: 0..<seeds.count, using: &rng)]
            switch Int.random(in: 0..<6, using: &rng) {
            case 0:
                input = (0..<Int.random(in: 0...1_300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            case 1:
                for _ in 0...Int.random(in: 0..<4, using: &rng) {
                    let bit = Int.random(in: 0..<(input.count * 8), using: &rng)
                    input[bit / 8] ^= 1 << UInt8(bit % 8)
                }
            case 2:
                input.removeLast(Int.random(in: 0...input.count, using: &rng))
            case 3:
                input += (0..<Int.random(in: 1...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            case 4:
                input.insert(UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 0...input.count, using: &rng))
            default:
                input[Int.random(in: 0..<input.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            if let message = try? VoteMessage.decode(input) {
                accepted += 1
                #expect(message.encoded() == input)
                #expect(try VoteMessage.decode(message.encoded()) == message)
            } else {
                rejected += 1
            }
        }
        #expect(accepted + rejected == 20_000)
        #expect(accepted > 1_000)
        #expect(rejected > 5_000)
    }
}
