import SansIO
@testable import Wire

/// Deterministic keys and envelopes shared by the Wire tests.
enum Fixtures {
    static func key(_ fill: UInt8) -> SecretKey {
        try! SecretKey(bytes: [UInt8](repeating: fill, count: SecretKey.byteCount))
    }

    static func envelope(sequence: UInt64 = 1, bootEpoch: UInt64 = 7, sender: String = "eu-west", body: [UInt8] = Array(0..<32)) -> Envelope {
        Envelope(sender: sender, bootEpoch: bootEpoch, sequence: sequence, kind: .membership, body: body)
    }

    static func channel(_ keyring: Keyring, cluster: String = "prod", seed: UInt64 = 1) -> SecureChannel {
        SecureChannel(clusterName: cluster, keyring: keyring, nonces: .seeded(SeededGenerator(seed: seed)))
    }

    static func ring(_ primary: SecretKey, older: [SecretKey] = []) -> Keyring {
        try! Keyring(primary: primary, older: older)
    }
}
