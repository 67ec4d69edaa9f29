/// The cluster's keys (DESIGN.md, "Protocol"): the primary seals, every key opens, so a key can be
/// rotated without downtime (add the new key everywhere, make it primary, then remove the old one).
/// Keys are found by `KeyID`; a key given twice is kept once.
public struct Keyring: Sendable {
    /// The key that seals outgoing datagrams.
    public let primary: SecretKey
    /// The identifier written into sealed frames.
    public let primaryID: KeyID
    private let keys: [KeyID: SecretKey]

    /// Why a keyring cannot be built.
    public enum Error: Swift.Error, Equatable {
        /// Two different keys share a 4-byte id (astronomically unlikely; make a new key).
        case keyIDCollision(KeyID)
    }

    /// A ring whose primary seals and where `primary` and every `older` key open. Duplicates of a
    /// key are merged; two distinct keys with the same id are rejected.
    public init(primary: SecretKey, older: [SecretKey] = []) throws(Error) {
        var keys: [KeyID: SecretKey] = [:]
        for key in [primary] + older {
            let id = KeyID(key: key)
            if let existing = keys[id] {
                guard existing == key else { throw .keyIDCollision(id) }
                continue
            }
            keys[id] = key
        }
        self.primary = primary
        primaryID = KeyID(key: primary)
        self.keys = keys
    }

    /// The key with `id`, if the ring holds it.
    public func key(for id: KeyID) -> SecretKey? { keys[id] }

    /// Every key id in the ring.
    public var ids: Set<KeyID> { Set(keys.keys) }

    /// The same ring plus `key` as an opening-only key.
    public func adding(_ key: SecretKey) throws(Error) -> Keyring {
        try Keyring(primary: primary, older: olderKeys + [key])
    }

    /// The same ring with `key` as the new primary; the old primary stays as an opening key.
    public func promoting(_ key: SecretKey) throws(Error) -> Keyring {
        try Keyring(primary: key, older: olderKeys + [primary])
    }

    /// The ring without `key`; `nil` when `key` is the primary (a ring always has a primary).
    public func removing(_ key: SecretKey) -> Keyring? {
        guard key != primary else { return nil }
        // Cannot collide: a subset of a valid ring.
        return try? Keyring(primary: primary, older: olderKeys.filter { $0 != key })
    }

    private var olderKeys: [SecretKey] {
        keys.filter { $0.key != primaryID }.sorted { $0.key.bytes.lexicographicallyPrecedes($1.key.bytes) }.map(\.value)
    }
}
