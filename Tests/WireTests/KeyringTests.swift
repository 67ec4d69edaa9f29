import Testing
@testable import Wire

@Suite struct KeyringTests {
    @Test func rotation() throws {
        let old = Fixtures.key(1), new = Fixtures.key(2)
        var oldSender = Fixtures.channel(Fixtures.ring(old))
        let sealedWithOld = try oldSender.seal(Fixtures.envelope(sequence: 1))

        let rotated = try Fixtures.ring(old).adding(new).promoting(new)
        #expect(rotated.primary == new)
        #expect(rotated.primaryID == KeyID(key: new))
        var receiver = Fixtures.channel(rotated)
        #expect(try receiver.open(sealedWithOld).get().sequence == 1)

        var newSender = Fixtures.channel(rotated, seed: 9)
        let sealedWithNew = try newSender.seal(Fixtures.envelope(sequence: 2))
        #expect(Array(sealedWithNew[1..<5]) == KeyID(key: new).bytes)

        let retired = try #require(rotated.removing(old))
        #expect(retired.ids == [KeyID(key: new)])
        var afterRemoval = Fixtures.channel(retired)
        #expect(afterRemoval.open(sealedWithOld) == .failure(.unknownKey(KeyID(key: old))))
        #expect(try afterRemoval.open(sealedWithNew).get().sequence == 2)
    }

    @Test func duplicatesMergeAndPrimaryCannotBeRemoved() throws {
        let ring = try Keyring(primary: Fixtures.key(1), older: [Fixtures.key(2), Fixtures.key(2), Fixtures.key(1)])
        #expect(ring.ids.count == 2)
        #expect(ring.removing(Fixtures.key(1)) == nil)
        #expect(ring.key(for: KeyID(key: Fixtures.key(2))) == Fixtures.key(2))
        #expect(ring.key(for: KeyID(key: Fixtures.key(3))) == nil)
    }

    @Test func keyIDIsStableDistinctAndNotTheKey() {
        let a = KeyID(key: Fixtures.key(1))
        #expect(a == KeyID(key: Fixtures.key(1)))
        #expect(a.bytes.count == 4)
        #expect(a.bytes != Array(Fixtures.key(1).bytes.prefix(4)))
        let ids = Set((0..<200).map { KeyID(key: Fixtures.key(UInt8($0))) })
        #expect(ids.count == 200)
        #expect(KeyID(bytes: [0x0a, 0xff, 0x00, 0x12]).description == "0aff0012")
    }

    @Test func secretKeyIsRedacted() throws {
        let key = try SecretKey(bytes: Array(repeating: 0x41, count: 32))
        #expect(key.description == "SecretKey(<redacted>)")
        #expect(!String(reflecting: key).contains(key.base64EncodedString))
        #expect(!"\(key)".contains("QUFB"))
        var dumped = ""
        dump(key, to: &dumped)
        #expect(!dumped.contains("65"))
    }
}

@Suite struct LegacyKeyDerivationTests {
    @Test func aGoavailKeyDerivesTheSameClusterKeyEverywhereAndDistinctKeysDiffer() {
        let one = SecretKey.derived(fromLegacyKey: "0123456789abcdef")
        #expect(one == SecretKey.derived(fromLegacyKey: "0123456789abcdef"))
        #expect(one != SecretKey.derived(fromLegacyKey: "0123456789abcdeg"))
        #expect(one.base64EncodedString.count == 44)
    }
}
