import Foundation

/// A 32-byte cluster key for XChaCha20-Poly1305. Its bytes never appear in `description`,
/// `debugDescription` or reflection, so a key cannot leak into logs or `check-config` output.
public struct SecretKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The key length XChaCha20-Poly1305 (IETF) takes.
    public static let byteCount = 32

    /// The raw key bytes; only the crypto layer reads them.
    let bytes: [UInt8]

    /// Why a key could not be read.
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case notBase64
        case wrongLength(Int)

        public var description: String {
            switch self {
            case .notBase64: "the key is not valid base64"
            case .wrongLength(let length):
                "the key decodes to \(length) bytes; Vantage keys are \(SecretKey.byteCount) bytes (make one with `vantage keygen`)"
            }
        }
    }

    /// A key from raw bytes; exactly 32 of them.
    public init(bytes: [UInt8]) throws(ParseError) {
        guard bytes.count == Self.byteCount else { throw .wrongLength(bytes.count) }
        self.bytes = bytes
    }

    /// A key from standard base64 (surrounding whitespace ignored), as `vantage keygen` prints it.
    public init(base64: String) throws(ParseError) {
        let trimmed = base64.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let data = Data(base64Encoded: trimmed) else { throw .notBase64 }
        try self.init(bytes: [UInt8](data))
    }

    /// A fresh key from libsodium's CSPRNG.
    public static func generate() -> SecretKey {
        // Force-try is safe: the length is the constant this initialiser checks.
        try! SecretKey(bytes: Sodium.randomBytes(byteCount))
    }

    /// A cluster key derived from a goavail `crypto_key` (a raw AES key of any length) with keyed
    /// BLAKE2b, so an unchanged goavail.toml gives every agent the same key. Weaker than a
    /// `vantage keygen` key when the old key was short or guessable; check-config says so.
    public static func derived(fromLegacyKey legacy: String) -> SecretKey {
        let digest = Sodium.hash(Array(legacy.utf8), context: Array("vantage goavail key".utf8), length: byteCount)
        return try! SecretKey(bytes: digest)
    }

    /// The key as standard base64, for `vantage keygen` and key files.
    public var base64EncodedString: String { Data(bytes).base64EncodedString() }

    public var description: String { "SecretKey(<redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
