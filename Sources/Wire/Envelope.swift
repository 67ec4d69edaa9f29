/// Which protocol an envelope's body belongs to; the receiving node routes by it.
public enum MessageKind: UInt8, Sendable, CaseIterable {
    /// SWIM membership (ping, ping-req, ack, nack, gossip).
    case membership = 1
    /// Raft-lite election (pre-vote, vote, heartbeat, timeout-now).
    case election = 2
    /// An agent's views of its endpoints, sent to the leader.
    case vote = 3
}

/// The authenticated content of every datagram: who sent it, in which process lifetime, in which
/// order, and for which protocol. `(bootEpoch, sequence)` feeds the receiver's replay window.
///
/// Encoding (version 1): `version(1) | sender (varint length ≤ 64, UTF-8) | bootEpoch (varint) |
/// sequence (varint) | kind(1) | body (varint length ≤ maximumBodyLength)`, nothing after.
public struct Envelope: Equatable, Sendable {
    /// The node name of the sender.
    public var sender: String
    /// Changes on every process start (a restart begins a new epoch).
    public var bootEpoch: UInt64
    /// Increases with every envelope the sender seals within one epoch.
    public var sequence: UInt64
    public var kind: MessageKind
    /// The kind's own codec output.
    public var body: [UInt8]

    /// The codec version this build writes and reads.
    public static let version: UInt8 = 1
    /// The longest sender name, in UTF-8 bytes.
    public static let maximumSenderLength = 64
    /// The longest body; an envelope with it still fits a 1,400-byte sealed datagram.
    public static let maximumBodyLength = 1_200

    public init(sender: String, bootEpoch: UInt64, sequence: UInt64, kind: MessageKind, body: [UInt8]) {
        self.sender = sender
        self.bootEpoch = bootEpoch
        self.sequence = sequence
        self.kind = kind
        self.body = body
    }

    /// The envelope's bytes. Callers keep `sender` and `body` within their limits; `decode`
    /// rejects anything longer.
    public func encode() -> [UInt8] {
        var writer = ByteWriter(capacity: body.count + sender.utf8.count + 24)
        writer.write(Self.version)
        writer.write(sender)
        writer.writeVarint(bootEpoch)
        writer.writeVarint(sequence)
        writer.write(kind.rawValue)
        writer.writeLengthPrefixed(body)
        return writer.bytes
    }

    /// Decodes untrusted bytes; never traps, allocates at most the input's size.
    public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> Envelope {
        var reader = ByteReader(bytes)
        let version = try reader.readUInt8("envelope.version")
        guard version == Self.version else { throw .unsupportedVersion(version) }
        let sender = try reader.readString("envelope.sender", limit: maximumSenderLength)
        guard !sender.isEmpty else { throw .invalidValue(field: "envelope.sender") }
        let bootEpoch = try reader.readVarint("envelope.bootEpoch")
        let sequence = try reader.readVarint("envelope.sequence")
        guard let kind = MessageKind(rawValue: try reader.readUInt8("envelope.kind")) else {
            throw .invalidValue(field: "envelope.kind")
        }
        let body = try reader.readLengthPrefixed("envelope.body", limit: maximumBodyLength)
        try reader.expectEnd()
        return Envelope(sender: sender, bootEpoch: bootEpoch, sequence: sequence, kind: kind, body: body)
    }
}
