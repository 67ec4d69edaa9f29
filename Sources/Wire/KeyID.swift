import CCrypto

/// Four bytes naming a key on the wire, so a receiver picks the right key from its `Keyring`
/// without trial decryption. Derived as the first four bytes of the BLAKE2b hash
/// (`crypto_generichash`) of the context `"vantage-key-id"` keyed with the key: a one-way, keyed
/// derivation that reveals nothing about the key beyond 32 bits of its MAC.
public struct KeyID: Hashable, Sendable, CustomStringConvertible {
    /// Length on the wire.
    public static let byteCount = 4
    /// The four bytes.
    public let bytes: [UInt8]

    /// An identifier read from a frame; exactly four bytes.
    public init(bytes: [UInt8]) {
        precondition(bytes.count == Self.byteCount, "key ids are 4 bytes")
        self.bytes = bytes
    }

    /// The identifier of `key`.
    public init(key: SecretKey) {
        _ = Sodium.ready
        let context = Array("vantage-key-id".utf8)
        var digest = [UInt8](repeating: 0, count: 16)
        let status = crypto_generichash(&digest, digest.count, context, UInt64(context.count), key.bytes, key.bytes.count)
        precondition(status == 0, "crypto_generichash failed")
        bytes = Array(digest.prefix(Self.byteCount))
    }

    public var description: String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] })
    }
}
