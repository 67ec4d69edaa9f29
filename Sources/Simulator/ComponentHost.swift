import SansIO
import Wire

/// A Vantage node in the simulator: a composite of protocol components behind one datagram
/// socket. Outgoing bodies are wrapped in an `Envelope` (sender, boot epoch, per-epoch sequence,
/// kind) and encoded by the real wire codec; received datagrams are decoded and routed to the
/// component of the envelope's `MessageKind`.
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

    public init(components: [any NodeComponent]) {
        precondition(Set(components.map(\.kind.rawValue)).count == components.count, "one component per message kind")
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
        for index in components.indices {
            run(index, &io) { component, componentIO in component.start(&componentIO) }
        }
    }

    public mutating func receive(_ datagram: [UInt8], _ io: inout ProcessIO) throws(DecodeError) {
        let envelope = try Envelope.decode(datagram)
        guard let index = components.firstIndex(where: { $0.kind == envelope.kind }) else {
            unroutedEnvelopes += 1
            return
        }
        var failure: DecodeError?
        run(index, &io) { component, componentIO in
            do throws(DecodeError) {
                try component.receive(envelope.body, from: envelope.sender, &componentIO)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    public mutating func wakeUp(timer: Int, _ io: inout ProcessIO) {
        guard components.indices.contains(timer) else { return }
        run(timer, &io) { component, componentIO in component.wakeUp(&componentIO) }
    }

    /// Runs one component input and carries out its requests through the node's IO.
    private mutating func run(_ index: Int, _ io: inout ProcessIO,
                              _ body: (inout any NodeComponent, inout ComponentIO) -> Void) {
        var componentIO = ComponentIO(now: io.now, node: io.node, bootEpoch: io.bootEpoch, disk: io.disk,
                                      random: random[index])
        body(&components[index], &componentIO)
        random[index] = componentIO.random
        let kind = components[index].kind
        for outgoing in componentIO.outgoing {
            sequence += 1
            let envelope = Envelope(sender: io.node.name, bootEpoch: io.bootEpoch, sequence: sequence, kind: kind,
                                    body: outgoing.body)
            io.send(envelope.encode(), to: outgoing.address)
        }
        for deadline in componentIO.wakeUps { io.wakeUp(at: deadline, timer: index) }
        for event in componentIO.events { io.emit(event) }
    }
}
