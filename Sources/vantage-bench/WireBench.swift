import SansIO
import Wire

/// Sealed-datagram throughput on one core: seal + open of a datagram with a 1,200-byte body, and
/// decoding of a full-size envelope.
func runWireBenchmarks() throws -> [Figure] {
    let keyring = try Keyring(primary: SecretKey.generate())
    var sender = SecureChannel(clusterName: "bench", keyring: keyring, nonces: .seeded(SeededGenerator(seed: 1)))
    var receiver = SecureChannel(clusterName: "bench", keyring: keyring, nonces: .seeded(SeededGenerator(seed: 2)))
    let body = [UInt8](repeating: 0x5A, count: Envelope.maximumBodyLength)

    let roundTrips = 50_000
    var opened = 0
    let sealOpenSeconds = try measureSeconds {
        for sequence in 0..<roundTrips {
            let envelope = Envelope(sender: "eu-west-1", bootEpoch: 1, sequence: UInt64(sequence), kind: .membership, body: body)
            if case .success = receiver.open(try sender.seal(envelope)) { opened += 1 }
        }
    }
    precondition(opened == roundTrips, "every benchmark datagram must open")

    let full = Envelope(sender: String(repeating: "n", count: Envelope.maximumSenderLength), bootEpoch: .max,
                        sequence: .max, kind: .vote, body: body).encode()
    let decodes = 200_000
    var decodedBytes = 0
    let decodeSeconds = try measureSeconds {
        for _ in 0..<decodes { decodedBytes += try Envelope.decode(full).body.count }
    }
    precondition(decodedBytes == decodes * body.count)

    return [
        Figure(name: "seal+open, 1,200-byte body (datagrams/s, one core)", value: Double(roundTrips) / sealOpenSeconds,
               unit: "/s", note: "\(roundTrips) round trips incl. replay check"),
        Figure(name: "Envelope.decode, full-size \(full.count)-byte envelope", value: Double(decodes) / decodeSeconds,
               unit: "/s"),
    ]
}
