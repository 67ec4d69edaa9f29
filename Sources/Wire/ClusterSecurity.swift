/// How a cluster's datagrams are protected. `.plaintext` exists only for a cluster whose config
/// says so explicitly (DESIGN.md, "Protocol"); the replay window applies either way.
public enum ClusterSecurity: Sendable {
    /// Every datagram is a `SealedFrame` under the ring's keys.
    case sealed(Keyring)
    /// Datagrams are bare encoded `Envelope`s, unauthenticated.
    case plaintext
}
