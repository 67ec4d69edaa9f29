/// One sealed datagram on the wire (DESIGN.md, "Protocol"):
/// `version(1) | keyID(4) | nonce(24) | ciphertext+tag`, at most `maximumDatagramLength` bytes.
///
/// **Sender binding.** DESIGN.md puts the sender id in the associated data. The sender's name lives
/// inside the encrypted `Envelope`, and we keep it there (an observer of the wire learns no node
/// names). The associated data is therefore `"vantage" | clusterName | version` (see
/// `associatedData(clusterName:)`), which binds a frame to its cluster and protocol version, and the
/// sender is bound by the AEAD tag over the envelope itself: after opening, `SecureChannel` checks
/// the decrypted `Envelope.sender` against the configured peers and feeds it to the replay window.
/// Only holders of a cluster key can produce a frame that opens, so a sender name cannot be forged
/// by an outsider, and the frame stays exactly as DESIGN.md lays it out.
public struct SealedFrame: Equatable, Sendable {
    /// The frame format this build writes and reads.
    public static let version: UInt8 = 1
    /// The largest datagram Vantage sends or accepts (fits an IPv6 minimum-MTU path with headroom).
    public static let maximumDatagramLength = 1_400
    /// Bytes before the ciphertext.
    public static let headerLength = 1 + KeyID.byteCount + AEAD.nonceLength
    /// Bytes a frame adds to its plaintext.
    public static let overhead = headerLength + AEAD.tagLength

    public var keyID: KeyID
    public var nonce: [UInt8]
    /// Ciphertext followed by the 16-byte tag.
    public var ciphertext: [UInt8]

    public init(keyID: KeyID, nonce: [UInt8], ciphertext: [UInt8]) {
        self.keyID = keyID
        self.nonce = nonce
        self.ciphertext = ciphertext
    }

    /// The associated data every frame of `clusterName` is sealed with.
    public static func associatedData(clusterName: String) -> [UInt8] {
        var writer = ByteWriter(capacity: 16 + clusterName.utf8.count)
        writer.write("vantage")
        writer.write(clusterName)
        writer.write(version)
        return writer.bytes
    }

    /// The datagram bytes.
    public func encode() -> [UInt8] {
        var writer = ByteWriter(capacity: Self.headerLength + ciphertext.count)
        writer.write(Self.version)
        writer.writeRaw(keyID.bytes)
        writer.writeRaw(nonce)
        writer.writeRaw(ciphertext)
        return writer.bytes
    }

    /// Parses untrusted bytes; throws (never traps) on a wrong version, a datagram over the size
    /// limit, or one too short to hold a header and a tag. Allocates at most the input's size.
    public static func parse(_ bytes: [UInt8]) throws(DecodeError) -> SealedFrame {
        guard bytes.count <= maximumDatagramLength else {
            throw .tooLong(field: "frame", length: bytes.count, limit: maximumDatagramLength)
        }
        var reader = ByteReader(bytes)
        let version = try reader.readUInt8("frame.version")
        guard version == Self.version else { throw .unsupportedVersion(version) }
        let keyID = KeyID(bytes: try reader.readRaw("frame.keyID", count: KeyID.byteCount))
        let nonce = try reader.readRaw("frame.nonce", count: AEAD.nonceLength)
        guard reader.remaining >= AEAD.tagLength else { throw .truncated(field: "frame.tag") }
        return SealedFrame(keyID: keyID, nonce: nonce, ciphertext: reader.readRest())
    }
}
