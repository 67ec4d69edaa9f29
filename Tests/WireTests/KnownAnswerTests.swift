import Testing
@testable import Wire

/// Bytes fixed outside this code base, so the crypto is compared with something other than itself.
@Suite struct KnownAnswerTests {
    static func bytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0...$0 + 1], as: UTF8.self), radix: 16)! }
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() }

    /// draft-irtf-cfrg-xchacha-03, appendix A.3.1 (AEAD_XChaCha20_Poly1305), the vector
    /// libsodium's implementation is checked against.
    @Test func xChaCha20Poly1305MatchesTheDraftVector() throws {
        let key = try SecretKey(bytes: Self.bytes("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"))
        let nonce = Self.bytes("404142434445464748494a4b4c4d4e4f5051525354555657")
        let associatedData = Self.bytes("50515253c0c1c2c3c4c5c6c7")
        let plaintext = Array("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.".utf8)
        let expected = "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb"
            + "731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452"
            + "2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9"
            + "21f9664c97637da9768812f615c68b13b52e"
            + "c0875924c1c7987947deafd8780acf49"  // the tag
        let sealed = AEAD.seal(plaintext, nonce: nonce, associatedData: associatedData, key: key)
        #expect(Self.hex(sealed) == expected)
        #expect(AEAD.open(Self.bytes(expected), nonce: nonce, associatedData: associatedData, key: key) == plaintext)
    }

    /// goavail's `crypto_key` becomes BLAKE2b-256 of the key, keyed with "vantage goavail key";
    /// the expected bytes come from Python's `hashlib.blake2b(b"1234567891012345",
    /// key=b"vantage goavail key", digest_size=32)`, an independent BLAKE2b.
    @Test func theGoavailKeyDerivationMatchesAnIndependentBLAKE2b() {
        let derived = SecretKey.derived(fromLegacyKey: "1234567891012345")
        #expect(Self.hex(derived.bytes) == "eeb9859e57f96e4f669830466241d196ce48103385764bf4319e46244e7d14db")
        #expect(derived.base64EncodedString == "7rmFnlf5bk9mmDBGYkHRls5IEDOFdkv0MZ5GJE59FNs=")
        // Key ids too: the first 4 bytes of BLAKE2b-128("vantage-key-id", key = the key).
        #expect(KeyID(key: derived).description == "220bf0f0")
        #expect(KeyID(key: Fixtures.key(1)).description == "cfadefbc")
    }

    /// A frame sealed with a fixed key, nonce and envelope, byte for byte: the layout
    /// `version | key id | nonce | ciphertext+tag`, the associated data and the envelope codec may
    /// not change without a new protocol version, and a frame written by this version still opens.
    @Test func aFixedFrameIsByteForByteTheSame() throws {
        let key = Fixtures.key(1)
        let nonce = [UInt8](0..<24)
        let envelope = Envelope(sender: "fra-1", bootEpoch: 7, sequence: 42, kind: .membership, body: Array("ping".utf8))
        let ciphertext = AEAD.seal(envelope.encode(), nonce: nonce, associatedData: SealedFrame.associatedData(clusterName: "prod"), key: key)
        let frame = SealedFrame(keyID: KeyID(key: key), nonce: nonce, ciphertext: ciphertext).encode()
        let expected = "01" + "cfadefbc" + "000102030405060708090a0b0c0d0e0f1011121314151617"
            + "79d5bdf7fcbce68fc9476e387d5c113a13795e99bc8f1490d4331128c0a50e"
        #expect(Self.hex(frame) == expected)
        var receiver = Fixtures.channel(Fixtures.ring(key))
        #expect(try receiver.open(Self.bytes(expected)).get() == envelope)
    }
}
