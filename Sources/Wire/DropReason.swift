/// Why `SecureChannel.open` rejected a datagram. A dropped datagram is counted under `reason`
/// (`vantage_packets_dropped_total{reason=…}`), never fatal.
public enum DropReason: Error, Equatable, Sendable {
    /// The frame or the decrypted envelope did not parse.
    case malformed(DecodeError)
    /// The frame names a key the ring does not hold (rotated out, or another cluster).
    case unknownKey(KeyID)
    /// The tag did not verify: altered bytes, wrong key, or another cluster's associated data.
    case authenticationFailed
    /// The envelope's sender is not one of the configured peers.
    case unknownSender
    /// The replay window refused the stamp.
    case replay(ReplayWindow.Verdict)

    /// A short, stable label for metrics.
    public var reason: String {
        switch self {
        case .malformed(let error): "malformed_\(error.reason)"
        case .unknownKey: "unknown_key"
        case .authenticationFailed: "authentication_failed"
        case .unknownSender: "unknown_sender"
        case .replay(let verdict): verdict.reason
        }
    }
}
