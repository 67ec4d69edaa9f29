import Testing
@testable import Wire

@Suite struct SealedFrameTests {
    @Test func roundTripThroughChannel() throws {
        let ring = Fixtures.ring(Fixtures.key(1))
        var sender = Fixtures.channel(ring)
        var receiver = Fixtures.channel(ring, seed: 2)
        let envelope = Fixtures.envelope()
        let datagram = try sender.seal(envelope)
        #expect(datagram.count == envelope.encode().count + SealedFrame.overhead)
        #expect(datagram[0] == SealedFrame.version)
        #expect(Array(datagram[1..<5]) == ring.primaryID.bytes)
        #expect(try receiver.open(datagram).get() == envelope)
    }

    @Test func senderNameIsNotInClear() throws {
        var channel = Fixtures.channel(Fixtures.ring(Fixtures.key(1)))
        let datagram = try channel.seal(Fixtures.envelope(sender: "secret-node-name"))
        let name = Array("secret-node-name".utf8)
        let found = (0...(datagram.count - name.count)).contains { Array(datagram[$0..<($0 + name.count)]) == name }
        #expect(!found)
    }

    @Test func everySingleBitFlipIsRejected() throws {
        let ring = Fixtures.ring(Fixtures.key(1))
        var sender = Fixtures.channel(ring)
        let datagram = try sender.seal(Fixtures.envelope())
        for bit in 0..<(datagram.count * 8) {
            var mutated = datagram
            mutated[bit / 8] ^= 1 << UInt8(bit % 8)
            var receiver = Fixtures.channel(ring, seed: 2)
            guard case .failure = receiver.open(mutated) else {
                Issue.record("bit \(bit) flip accepted")
                return
            }
        }
    }

    @Test func wrongKeyIsUnknownKeyAndWrongClusterFailsAuthentication() throws {
        var sender = Fixtures.channel(Fixtures.ring(Fixtures.key(1)))
        let datagram = try sender.seal(Fixtures.envelope())
        var otherKey = Fixtures.channel(Fixtures.ring(Fixtures.key(2)))
        #expect(otherKey.open(datagram) == .failure(.unknownKey(KeyID(key: Fixtures.key(1)))))
        var otherCluster = Fixtures.channel(Fixtures.ring(Fixtures.key(1)), cluster: "staging")
        #expect(otherCluster.open(datagram) == .failure(.authenticationFailed))
        #expect(DropReason.authenticationFailed.reason == "authentication_failed")
    }

    @Test func everyTruncationIsRejected() throws {
        let ring = Fixtures.ring(Fixtures.key(1))
        var sender = Fixtures.channel(ring)
        let datagram = try sender.seal(Fixtures.envelope())
        for length in 0..<datagram.count {
            var receiver = Fixtures.channel(ring, seed: 2)
            let result = receiver.open(Array(datagram.prefix(length)))
            guard case .failure(let reason) = result else {
                Issue.record("prefix \(length) accepted")
                return
            }
            if length < SealedFrame.overhead {
                #expect(throws: DecodeError.self) { try SealedFrame.parse(Array(datagram.prefix(length))) }
            } else {
                #expect(reason == .authenticationFailed)
            }
        }
    }

    @Test func authenticGarbageIsMalformedNotAccepted() {
        let ring = Fixtures.ring(Fixtures.key(1))
        let nonce = [UInt8](repeating: 3, count: AEAD.nonceLength)
        let ciphertext = AEAD.seal([9, 9, 9], nonce: nonce, associatedData: SealedFrame.associatedData(clusterName: "prod"), key: ring.primary)
        let datagram = SealedFrame(keyID: ring.primaryID, nonce: nonce, ciphertext: ciphertext).encode()
        var receiver = Fixtures.channel(ring)
        #expect(receiver.open(datagram) == .failure(.malformed(.unsupportedVersion(9))))
        #expect(DropReason.malformed(.unsupportedVersion(9)).reason == "malformed_unsupported_version")
    }

    @Test func oversizedDatagramsAreRefused() throws {
        var channel = Fixtures.channel(Fixtures.ring(Fixtures.key(1)))
        let huge = Envelope(sender: "n", bootEpoch: 0, sequence: 0, kind: .vote, body: [UInt8](repeating: 0, count: 1_400))
        #expect(throws: SecureChannel.SealError.self) { try channel.seal(huge) }
        let tooLong = [UInt8](repeating: 1, count: SealedFrame.maximumDatagramLength + 1)
        #expect(throws: DecodeError.tooLong(field: "frame", length: 1_401, limit: 1_400)) { try SealedFrame.parse(tooLong) }
    }

    @Test func largestEnvelopeFitsADatagram() throws {
        var channel = Fixtures.channel(Fixtures.ring(Fixtures.key(1)))
        let largest = Envelope(sender: String(repeating: "x", count: Envelope.maximumSenderLength), bootEpoch: .max,
                               sequence: .max, kind: .vote, body: [UInt8](repeating: 0xAB, count: Envelope.maximumBodyLength))
        let datagram = try channel.seal(largest)
        #expect(datagram.count <= SealedFrame.maximumDatagramLength)
        var receiver = Fixtures.channel(Fixtures.ring(Fixtures.key(1)), seed: 3)
        #expect(try receiver.open(datagram).get() == largest)
    }

    @Test func plaintextClusterStillChecksReplay() throws {
        var channel = SecureChannel(clusterName: "lab", security: .plaintext, nonces: .random)
        let envelope = Fixtures.envelope()
        let datagram = try channel.seal(envelope)
        #expect(datagram == envelope.encode())
        #expect(try channel.open(datagram).get() == envelope)
        #expect(channel.open(datagram) == .failure(.replay(.duplicate)))
    }

    @Test func unknownSenderIsDropped() throws {
        let ring = Fixtures.ring(Fixtures.key(1))
        var sender = Fixtures.channel(ring)
        var receiver = SecureChannel(clusterName: "prod", keyring: ring, nonces: .random, peers: ["us-east"])
        #expect(receiver.open(try sender.seal(Fixtures.envelope(sender: "intruder"))) == .failure(.unknownSender))
        #expect(try receiver.open(try sender.seal(Fixtures.envelope(sender: "us-east"))).get().sender == "us-east")
    }

    @Test func seededNoncesAreDeterministicAndRandomOnesDiffer() {
        var a = NonceSource.seeded(.init(seed: 5)), b = NonceSource.seeded(.init(seed: 5))
        let first = a.next()
        #expect(first.count == 24)
        #expect(first == b.next())
        #expect(a.next() != first)
        var random = NonceSource.random
        #expect(random.next() != random.next())
    }
}
