import CCrypto

/// The one place libsodium is initialised. `sodium_init` is idempotent and thread-safe; a failure
/// means the process cannot do cryptography at all, so it stops here with the reason.
enum Sodium {
    static let ready: Void = {
        guard sodium_init() >= 0 else { fatalError("libsodium failed to initialise (sodium_init < 0)") }
    }()

    /// Fills `count` bytes from libsodium's CSPRNG (`randombytes_buf`).
    static func randomBytes(_ count: Int) -> [UInt8] {
        _ = ready
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0 { randombytes_buf(buffer.baseAddress!, count) }
            initialized = count
        }
    }
}
