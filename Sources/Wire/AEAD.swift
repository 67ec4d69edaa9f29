import CCrypto

/// XChaCha20-Poly1305 (IETF construction) through libsodium: the one authenticated cipher of the
/// protocol (DESIGN.md, "Protocol"). The 24-byte nonce is large enough to be drawn at random for
/// every datagram without a realistic risk of reuse.
public enum AEAD {
    /// Nonce length (`crypto_aead_xchacha20poly1305_ietf_NPUBBYTES`).
    public static let nonceLength = 24
    /// Authentication tag length appended to every ciphertext (`…_ABYTES`).
    public static let tagLength = 16

    /// Encrypts and authenticates `plaintext`, binding `associatedData`; returns ciphertext + tag.
    /// `nonce` must be exactly `nonceLength` bytes (a programming error otherwise).
    public static func seal(_ plaintext: [UInt8], nonce: [UInt8], associatedData: [UInt8], key: SecretKey) -> [UInt8] {
        precondition(nonce.count == nonceLength, "XChaCha20-Poly1305 nonces are 24 bytes")
        _ = Sodium.ready
        let capacity = plaintext.count + tagLength
        return [UInt8](unsafeUninitializedCapacity: capacity) { output, initialized in
            var written: UInt64 = 0
            let status = crypto_aead_xchacha20poly1305_ietf_encrypt(
                output.baseAddress!, &written,
                plaintext, UInt64(plaintext.count),
                associatedData, UInt64(associatedData.count),
                nil, nonce, key.bytes)
            precondition(status == 0 && written == UInt64(capacity), "XChaCha20-Poly1305 encryption failed")
            initialized = capacity
        }
    }

    /// Verifies and decrypts ciphertext + tag; `nil` if the tag does not match (wrong key, nonce,
    /// associated data, or any altered byte) or the input is shorter than a tag.
    public static func open(_ ciphertext: [UInt8], nonce: [UInt8], associatedData: [UInt8], key: SecretKey) -> [UInt8]? {
        guard nonce.count == nonceLength, ciphertext.count >= tagLength else { return nil }
        _ = Sodium.ready
        let capacity = ciphertext.count - tagLength
        // One spare byte so the buffer is never empty (a tag-only ciphertext has no plaintext).
        var plaintext = [UInt8](repeating: 0, count: capacity + 1)
        var written: UInt64 = 0
        let status = crypto_aead_xchacha20poly1305_ietf_decrypt(
            &plaintext, &written, nil,
            ciphertext, UInt64(ciphertext.count),
            associatedData, UInt64(associatedData.count),
            nonce, key.bytes)
        let ok = status == 0 && written == UInt64(capacity)
        plaintext.removeLast()
        return ok ? plaintext : nil
    }
}
