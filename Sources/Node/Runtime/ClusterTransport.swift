import IO
import Foundation
import Synchronization
import Wire

/// The one UDP port an agent speaks on (DESIGN.md "Protocol"): envelopes of every kind
/// (membership, election, votes) go out sealed under the cluster keyring and come in opened,
/// sender-checked and replay-filtered. Anything that fails is dropped and counted by reason,
/// never thrown at the protocol.
///
/// A dedicated reader thread drains the socket so a slow consumer never looks like packet loss.
public final class ClusterTransport: Sendable {
    /// This node's name, the envelope sender.
    public let node: String
    /// This process's boot epoch (replay protection across restarts).
    public let bootEpoch: UInt64
    public let socket: UDPSocket
    /// Envelopes that passed every check, in arrival order.
    public let incoming: AsyncStream<Envelope>

    private struct State {
        var channel: SecureChannel
        var sequence: UInt64 = 0
        var peers: [String: SocketAddress]
        var drops: [String: Int] = [:]
        var accepted = 0
        var sendFailures = 0
    }

    private let state: Mutex<State>
    private let stopping = Atomic<Bool>(false)
    private let continuation: AsyncStream<Envelope>.Continuation

    /// Datagram buffer: above `SealedFrame.maximumDatagramLength`, so an oversized datagram is
    /// seen whole and rejected rather than truncated into something that might parse.
    static let receiveLength = SealedFrame.maximumDatagramLength + 1

    /// Starts the reader on `socket`. `peers` maps every other voter's name to its address; only
    /// they are accepted as senders.
    public init(node: String, bootEpoch: UInt64, socket: UDPSocket, channel: SecureChannel,
                peers: [String: SocketAddress]) {
        self.node = node
        self.bootEpoch = bootEpoch
        self.socket = socket
        var channel = channel
        channel.peers = Set(peers.keys)  // only configured agents may speak; see DESIGN.md "Protocol"
        state = Mutex(State(channel: channel, peers: peers))
        (incoming, continuation) = AsyncStream.makeStream(of: Envelope.self, bufferingPolicy: .bufferingNewest(4_096))
        let thread = Thread { [self] in readLoop() }
        thread.name = "vantage-udp-\(node)"
        thread.start()
    }

    /// Seals and sends one envelope to `peer`; an unknown peer, an oversized body or a failing
    /// `sendto` is counted, not thrown (UDP is best effort and the protocols retransmit).
    public func send(_ kind: MessageKind, body: [UInt8], to peer: String) {
        guard !stopping.load(ordering: .relaxed) else { return }
        let prepared: (bytes: [UInt8], address: SocketAddress)? = state.withLock { state in
            guard let address = state.peers[peer] else {
                state.drops["unknown_peer", default: 0] += 1
                return nil
            }
            state.sequence += 1
            let envelope = Envelope(sender: node, bootEpoch: bootEpoch, sequence: state.sequence, kind: kind, body: body)
            do throws(SecureChannel.SealError) {
                return (try state.channel.seal(envelope), address)
            } catch {
                state.drops["too_long", default: 0] += 1
                return nil
            }
        }
        guard let prepared else { return }
        do {
            try socket.send(prepared.bytes, to: prepared.address)
        } catch {
            state.withLock { $0.sendFailures += 1 }
        }
    }

    /// Dropped datagrams by reason (`DropReason.reason` labels, plus `unknown_peer`, `too_long`,
    /// `receive_error` and `incoming_buffer_full` for this side's own failures).
    public var dropCounts: [String: Int] { state.withLock { $0.drops } }

    /// Datagrams that passed every check and went to the protocols.
    public var acceptedCount: Int { state.withLock { $0.accepted } }

    /// Sends that the kernel refused.
    public var sendFailures: Int { state.withLock { $0.sendFailures } }

    /// Stops sending at once and the reader within its 100 ms poll, then finishes `incoming`:
    /// to the cluster, this node is gone.
    public func stop() {
        stopping.store(true, ordering: .relaxed)
    }

    private func readLoop() {
        while !stopping.load(ordering: .relaxed) {
            let datagram: (bytes: [UInt8], from: SocketAddress)?
            do {
                datagram = try socket.receive(maximumLength: Self.receiveLength, timeoutMilliseconds: 100)
            } catch {
                state.withLock { $0.drops["receive_error", default: 0] += 1 }
                continue
            }
            guard let datagram else { continue }
            let opened: Envelope? = state.withLock { state in
                switch state.channel.open(datagram.bytes) {
                case .success(let envelope):
                    state.accepted += 1
                    return envelope
                case .failure(let reason):
                    state.drops[reason.reason, default: 0] += 1
                    return nil
                }
            }
            if let opened, case .dropped = continuation.yield(opened) {
                // The protocols fell behind: the oldest envelope waiting gave way (counted, like any drop).
                state.withLock { $0.drops["incoming_buffer_full", default: 0] += 1 }
            }
        }
        continuation.finish()
    }
}
