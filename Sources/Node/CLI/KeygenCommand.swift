import Wire

/// `vantage keygen`: prints a fresh 32-byte cluster key as base64, for `crypto_key` or a key file.
public enum KeygenCommand: Command {
    public static let name = "keygen"
    public static let summary = "print a new base64 cluster key"
    public static let usage = """
        usage: vantage keygen

        Prints a new random 32-byte key (libsodium CSPRNG) as base64. Put it in `crypto_key_file`
        on every agent; to rotate, add the old key to `older_crypto_keys` first.
        """

    public static func run(_ arguments: [String]) async throws -> Int32 {
        if let extra = arguments.first { throw ArgumentCursor.unexpected(extra) }
        print(SecretKey.generate().base64EncodedString)
        return 0
    }
}
