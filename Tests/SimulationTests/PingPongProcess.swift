import SansIO
import Simulator
import Wire

/// A trivial test-only protocol for engine tests: every `period` of local time a node pings the
/// next node (ring order); a ping is answered with a pong. Datagram: 1 byte tag, 8 bytes counter.
struct PingPongProcess: SimulatedProcess {
    /// Emitted when a datagram is handled.
    struct Received: Sendable, Equatable {
        let tag: UInt8
        let counter: UInt64
        let from: Int
    }

    static let ping: UInt8 = 1
    static let pong: UInt8 = 2

    let nodeCount: Int
    var period: Duration = .milliseconds(100)
    /// Volatile: lost on crash.
    var pingsSent: UInt64 = 0
    var received: [Received] = []
    var wakeUpTimes: [Instant] = []
    var lastDeadline: Instant = .zero

    init(nodeCount: Int) { self.nodeCount = nodeCount }

    mutating func start(_ io: inout ProcessIO) {
        let boots = (io.disk.read("boots")?.first ?? 0) &+ 1
        io.disk.write("boots", [boots])
        lastDeadline = io.now + period
        io.wakeUp(at: lastDeadline)
    }

    mutating func receive(_ datagram: [UInt8], _ io: inout ProcessIO) throws(DecodeError) {
        var reader = ByteReader(datagram)
        let tag = try reader.readUInt8("tag")
        let counter = try reader.readUInt64("counter")
        let from = Int(try reader.readUInt16("from"))
        try reader.expectEnd()
        guard tag == Self.ping || tag == Self.pong else { throw .invalidValue(field: "tag") }
        let message = Received(tag: tag, counter: counter, from: from)
        received.append(message)
        io.emit(message)
        if tag == Self.ping { io.send(Self.encode(tag: Self.pong, counter: counter, from: io.node.index), to: "sim:\(from)") }
    }

    mutating func wakeUp(timer: Int, _ io: inout ProcessIO) {
        wakeUpTimes.append(io.now)
        guard nodeCount > 1 else { return }
        pingsSent += 1
        io.send(Self.encode(tag: Self.ping, counter: pingsSent, from: io.node.index),
                to: "sim:\((io.node.index + 1) % nodeCount)")
        lastDeadline = lastDeadline + period
        io.wakeUp(at: lastDeadline)
    }

    static func encode(tag: UInt8, counter: UInt64, from: Int) -> [UInt8] {
        var writer = ByteWriter(capacity: 11)
        writer.write(tag)
        writer.write(counter)
        writer.write(UInt16(from))
        return writer.bytes
    }
}

extension Simulation {
    /// A ping-pong simulation of `nodes` nodes.
    static func pingPong(seed: UInt64, nodes: Int, conditions: LinkConditions = .clean,
                         maxDrift: Int64 = 100_000) -> Simulation {
        Simulation(seed: seed,
                   configuration: SimulationConfiguration(nodeCount: nodes, conditions: conditions,
                                                          maxDriftPartsPerBillion: maxDrift),
                   makeProcess: { _ in PingPongProcess(nodeCount: nodes) })
    }

    func pingPong(_ node: Int) -> PingPongProcess? { process(of: node) as? PingPongProcess }
}
