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

    /// BLAKE2b (`crypto_generichash`) of `input`, keyed by `context`, `length` bytes long.
    static func hash(_ input: [UInt8], context: [UInt8], length: Int) -> [UInt8] {
        _ = ready
        var output = [UInt8](repeating: 0, count: length)
        let status = output.withUnsafeMutableBufferPointer { out in
            input.withUnsafeBufferPointer { data in
                context.withUnsafeBufferPointer { key in
                    crypto_generichash(out.baseAddress!, length, data.baseAddress, UInt64(data.count), key.baseAddress, key.count)
                }
            }
        }
        precondition(status == 0, "crypto_generichash rejected a valid length")
        return output
    }
}
