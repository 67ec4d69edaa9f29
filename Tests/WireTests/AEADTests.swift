import Testing
@testable import Wire

@Suite struct AEADTests {
    let key = Fixtures.key(1)
    let nonce = [UInt8](repeating: 9, count: 24)
    let ad = Array("ad".utf8)

    @Test func roundTripAddsTag() {
        let plaintext = Array("hello vantage".utf8)
        let sealed = AEAD.seal(plaintext, nonce: nonce, associatedData: ad, key: key)
        #expect(sealed.count == plaintext.count + AEAD.tagLength)
        #expect(sealed.prefix(plaintext.count).elementsEqual(plaintext) == false)
        #expect(AEAD.open(sealed, nonce: nonce, associatedData: ad, key: key) == plaintext)
    }

    @Test func emptyPlaintextRoundTrips() {
        let sealed = AEAD.seal([], nonce: nonce, associatedData: ad, key: key)
        #expect(AEAD.open(sealed, nonce: nonce, associatedData: ad, key: key) == [])
    }

    @Test func wrongKeyNonceOrAssociatedDataFails() {
        let sealed = AEAD.seal([1, 2, 3], nonce: nonce, associatedData: ad, key: key)
        #expect(AEAD.open(sealed, nonce: nonce, associatedData: ad, key: Fixtures.key(2)) == nil)
        #expect(AEAD.open(sealed, nonce: [UInt8](repeating: 8, count: 24), associatedData: ad, key: key) == nil)
        #expect(AEAD.open(sealed, nonce: nonce, associatedData: Array("other".utf8), key: key) == nil)
        #expect(AEAD.open(Array(sealed.prefix(15)), nonce: nonce, associatedData: ad, key: key) == nil)
        #expect(AEAD.open(sealed, nonce: Array(nonce.prefix(12)), associatedData: ad, key: key) == nil)
    }
}
