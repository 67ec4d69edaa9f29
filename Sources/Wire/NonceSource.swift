import SansIO

/// Where a `SecureChannel` takes its 24-byte nonces. The runtime uses `.random` (libsodium's
/// CSPRNG); the simulator uses `.seeded`, so a run's bytes, and its trace hash, depend only on the
/// seed (DESIGN.md invariant 6).
public struct NonceSource: Sendable {
    private enum Storage: Sendable {
        case random
        case seeded(SeededGenerator)
    }

    private var storage: Storage

    /// Nonces from `randombytes_buf`; what a real node uses.
    public static var random: NonceSource { NonceSource(storage: .random) }

    /// Deterministic nonces from `generator`; for the simulator and tests only.
    public static func seeded(_ generator: SeededGenerator) -> NonceSource {
        NonceSource(storage: .seeded(generator))
    }

    /// The next 24-byte nonce.
    public mutating func next() -> [UInt8] {
        switch storage {
        case .random:
            return Sodium.randomBytes(AEAD.nonceLength)
        case .seeded(var generator):
            var nonce: [UInt8] = []
            nonce.reserveCapacity(AEAD.nonceLength)
            for _ in 0..<(AEAD.nonceLength / 8) {
                let word = generator.next()
                for shift in stride(from: 0, to: 64, by: 8) { nonce.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
            }
            storage = .seeded(generator)
            return nonce
        }
    }
}
