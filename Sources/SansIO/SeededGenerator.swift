/// xoshiro256** (Blackman & Vigna, "Scrambled Linear Pseudorandom Number Generators", 2021),
/// seeded through SplitMix64.
///
/// The cores never call `Int.random()` or `SystemRandomNumberGenerator`; they take
/// `inout some RandomNumberGenerator`. The simulator hands them one of these, derived from the run's
/// seed, so a run is reproducible from one number. `derived(stream:)` gives independent
/// sub-generators (per node, per link, per fault) without consuming the parent's sequence.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    @usableFromInline var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// The seed this generator was created from.
    public let seed: UInt64

    public init(seed: UInt64) {
        self.seed = seed
        var mixer = SplitMix64(state: seed)
        s0 = mixer.next(); s1 = mixer.next(); s2 = mixer.next(); s3 = mixer.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }  // the all-zero state is a fixed point
    }

    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    /// An independent generator for a named sub-stream (a node index, a link, a fault kind).
    /// Deriving does not advance `self`, so adding a stream never perturbs the others.
    public func derived(stream: UInt64) -> SeededGenerator {
        var mixer = SplitMix64(state: seed ^ (stream &* 0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
        return SeededGenerator(seed: mixer.next())
    }

    /// A uniformly distributed real number in `0 ..< 1`.
    @inlinable
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    @usableFromInline
    func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

/// SplitMix64 (Steele, Lea & Flood, 2014): expands one 64-bit seed into well-mixed state words.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
