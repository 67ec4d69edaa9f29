/// Turns envelopes into datagrams and back for one node (no IO): seals with the keyring's primary
/// key, and opens by parse frame → find key by id → verify and decrypt → decode envelope → check
/// the sender → replay window. See `SealedFrame` for why the sender is bound inside the envelope.
public struct SecureChannel: Sendable {
    /// Why an envelope cannot be sent.
    public enum SealError: Error, Equatable, Sendable {
        /// The datagram would exceed `SealedFrame.maximumDatagramLength`.
        case datagramTooLong(Int)
    }

    public let clusterName: String
    public var security: ClusterSecurity
    /// The node names accepted as senders; `nil` accepts any name (the replay window still caps them).
    public var peers: Set<String>?
    private var nonces: NonceSource
    private var replay: ReplayWindow
    private let associatedData: [UInt8]

    /// A sealed channel under `keyring`.
    public init(clusterName: String, keyring: Keyring, nonces: NonceSource, peers: Set<String>? = nil,
                replayWindow: ReplayWindow = ReplayWindow()) {
        self.init(clusterName: clusterName, security: .sealed(keyring), nonces: nonces, peers: peers, replayWindow: replayWindow)
    }

    /// A channel with explicit security (`.plaintext` only when the config says so).
    public init(clusterName: String, security: ClusterSecurity, nonces: NonceSource, peers: Set<String>? = nil,
                replayWindow: ReplayWindow = ReplayWindow()) {
        self.clusterName = clusterName
        self.security = security
        self.nonces = nonces
        self.peers = peers
        replay = replayWindow
        associatedData = SealedFrame.associatedData(clusterName: clusterName)
    }

    /// The datagram carrying `envelope`.
    public mutating func seal(_ envelope: Envelope) throws(SealError) -> [UInt8] {
        let plaintext = envelope.encode()
        switch security {
        case .plaintext:
            guard plaintext.count <= SealedFrame.maximumDatagramLength else { throw .datagramTooLong(plaintext.count) }
            return plaintext
        case .sealed(let keyring):
            let length = plaintext.count + SealedFrame.overhead
            guard length <= SealedFrame.maximumDatagramLength else { throw .datagramTooLong(length) }
            let nonce = nonces.next()
            let ciphertext = AEAD.seal(plaintext, nonce: nonce, associatedData: associatedData, key: keyring.primary)
            return SealedFrame(keyID: keyring.primaryID, nonce: nonce, ciphertext: ciphertext).encode()
        }
    }

    /// The envelope in `datagram`, or why it was dropped. An accepted envelope moves the replay
    /// window, so the same datagram opens once.
    public mutating func open(_ datagram: [UInt8]) -> Result<Envelope, DropReason> {
        let plaintext: [UInt8]
        switch security {
        case .plaintext:
            guard datagram.count <= SealedFrame.maximumDatagramLength else {
                return .failure(.malformed(.tooLong(field: "frame", length: datagram.count, limit: SealedFrame.maximumDatagramLength)))
            }
            plaintext = datagram
        case .sealed(let keyring):
            let frame: SealedFrame
            do { frame = try SealedFrame.parse(datagram) } catch { return .failure(.malformed(error)) }
            guard let key = keyring.key(for: frame.keyID) else { return .failure(.unknownKey(frame.keyID)) }
            guard let opened = AEAD.open(frame.ciphertext, nonce: frame.nonce, associatedData: associatedData, key: key) else {
                return .failure(.authenticationFailed)
            }
            plaintext = opened
        }
        let envelope: Envelope
        do { envelope = try Envelope.decode(plaintext) } catch { return .failure(.malformed(error)) }
        if let peers, !peers.contains(envelope.sender) { return .failure(.unknownSender) }
        let verdict = replay.check(sender: envelope.sender, bootEpoch: envelope.bootEpoch, sequence: envelope.sequence)
        guard verdict == .accept else { return .failure(.replay(verdict)) }
        return .success(envelope)
    }
}
