import Failover
import Raft
import SansIO
import Wire

/// A Vantage node in the simulator: a composite of protocol components behind one datagram
/// socket. Outgoing bodies are wrapped in an `Envelope` (sender, boot epoch, per-epoch sequence,
/// kind) and sealed by the real `SecureChannel` (XChaCha20-Poly1305 under the simulation's
/// cluster key, nonces from the node's seeded stream); received datagrams are opened, passed
/// through the replay window and routed to every component that takes the envelope's
/// `MessageKind` (its own kind or one of `alsoReceives`; components may share a kind).
/// Duplicates the network injects are dropped by the replay window, as on a real network.
///
/// Each component gets its own timers (the host's timer id is the component's index) and its own
/// random stream derived from the node's boot stream, so adding a component does not perturb the
/// random choices of the others.
public struct ComponentHost: SimulatedProcess {
    public private(set) var components: [any NodeComponent]
    private var random: [SeededGenerator] = []
    private var sequence: UInt64 = 0
    /// Envelopes whose kind no component handles (dropped, as the real runtime does).
    public private(set) var unroutedEnvelopes = 0
    /// Datagrams the replay window refused (network duplicates, reordering beyond the window).
    public private(set) var replayedDatagrams = 0
    private var channel: SecureChannel?
    /// The leadership last handed to the components that observe it.
    private var forwardedLeadership: Leadership?
    /// What a node without an election component is.
    static let noLeadership = Leadership(role: .follower, term: 0, leader: nil, leaseExpiry: nil, isLeaseValid: false)

    /// The cluster key every simulated node shares (fixed, so runs are reproducible).
    static let clusterKey = try! SecretKey(bytes: (0..<SecretKey.byteCount).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) })

    public init(components: [any NodeComponent]) {
        self.components = components
    }

    /// The first component of type `T`, for inspection.
    public func component<T: NodeComponent>(_ type: T.Type) -> T? {
        for component in components { if let match = component as? T { return match } }
        return nil
    }

    /// Feeds component `T` an input from outside the network (e.g. a graceful leave).
    public mutating func withComponent<T: NodeComponent>(
        _ type: T.Type, _ io: inout ProcessIO, _ body: (inout T, inout ComponentIO) -> Void
    ) {
        guard let index = components.firstIndex(where: { $0 is T }) else { return }
        run(index, &io) { component, componentIO in
            var typed = component as! T
            body(&typed, &componentIO)
            component = typed
        }
    }

    public mutating func start(_ io: inout ProcessIO) {
        random = components.indices.map { io.random.derived(stream: UInt64($0)) }
        // Every simulated node is a configured peer, so the window tracks them all (the runtime
        // rejects unknown senders before the window; its default cap guards only unnamed peers).
        channel = SecureChannel(clusterName: "simulation", keyring: try! Keyring(primary: Self.clusterKey),
                                nonces: .seeded(io.random.derived(stream: 0x5EA1)),
                                replayWindow: ReplayWindow(maximumSenders: 1 << 16))
        for index in components.indices {
            run(index, &io) { component, componentIO in component.start(&componentIO) }
        }
    }

    public mutating func receive(_ datagram: [UInt8], _ io: inout ProcessIO) throws(DecodeError) {
        let envelope: Envelope
        switch channel!.open(datagram) {
        case .success(let opened): envelope = opened
        case .failure(.replay):
            replayedDatagrams += 1
            return
        case .failure(.malformed(let error)): throw error
        case .failure(let reason):
            // Nothing in the simulator alters bytes or uses another key: this is a bug.
            throw DecodeError.invalidValue(field: "sealed frame (\(reason.reason))")
        }
        let targets = components.indices.filter {
            components[$0].kind == envelope.kind || components[$0].alsoReceives.contains(envelope.kind)
        }
        guard !targets.isEmpty else {
            unroutedEnvelopes += 1
            return
        }
        var failure: DecodeError?
        for index in targets {
            run(index, &io) { component, componentIO in
                do throws(DecodeError) {
                    try component.receive(envelope.body, of: envelope.kind, from: envelope.sender, &componentIO)
                } catch {
                    failure = error
                }
            }
        }
        if let failure { throw failure }
    }

    public mutating func wakeUp(timer: Int, _ io: inout ProcessIO) {
        guard components.indices.contains(timer) else { return }
        run(timer, &io) { component, componentIO in component.wakeUp(&componentIO) }
    }

    public mutating func dnsAnswered(_ response: DNSResponse, callID: UInt64, tag: Int, _ io: inout ProcessIO) {
        guard components.indices.contains(tag) else { return }
        run(tag, &io) { component, componentIO in component.dnsAnswered(response, callID: callID, &componentIO) }
    }

    /// The node's leadership at `now`, asked of its election component.
    public func leadership(now: Instant) -> Leadership {
        for component in components { if let leadership = component.leadership(now: now) { return leadership } }
        return Self.noLeadership
    }

    /// Runs one component input and carries out its requests through the node's IO.
    private mutating func run(_ index: Int, _ io: inout ProcessIO,
                              _ body: (inout any NodeComponent, inout ComponentIO) -> Void) {
        var componentIO = ComponentIO(process: io, random: random[index], leadership: leadership(now: io.now))
        body(&components[index], &componentIO)
        random[index] = componentIO.random
        let kind = components[index].kind
        for outgoing in componentIO.outgoing {
            sequence += 1
            let envelope = Envelope(sender: io.node.name, bootEpoch: io.bootEpoch, sequence: sequence,
                                    kind: outgoing.kind ?? kind,
                                    body: outgoing.body)
            // Sealing fails only for an oversized envelope, which the protocols never build.
            io.send(try! channel!.seal(envelope), to: outgoing.address)
        }
        for deadline in componentIO.wakeUps { io.wakeUp(at: deadline, timer: index) }
        for event in componentIO.events { io.emit(event) }
        for call in componentIO.dnsCalls { io.callDNS(call, tag: index) }
        forwardLeadershipChange(&io)
    }

    /// Tells the components that observe leadership when it changed (a sibling asking the election).
    private mutating func forwardLeadershipChange(_ io: inout ProcessIO) {
        let current = leadership(now: io.now)
        guard current != forwardedLeadership else { return }
        forwardedLeadership = current
        for index in components.indices where components[index].observesLeadership {
            run(index, &io) { component, componentIO in component.leadershipChanged(&componentIO) }
        }
    }
}
