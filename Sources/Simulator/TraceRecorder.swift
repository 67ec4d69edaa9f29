import Foundation
import SansIO

/// One processed event, as kept in the trace excerpt and fed to invariants.
public struct TraceEntry: Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// A datagram handed to a running process.
        case delivered(from: Int, byteCount: Int, bytesHash: UInt64)
        /// A datagram that reached a crashed node and was dropped.
        case droppedAtDownNode(from: Int)
        /// A datagram or timer deferred because the node is paused.
        case deferred
        case wakeUp(timer: Int)
        case start(bootEpoch: UInt64)
        case resume(backlog: Int)
        case fault(Fault)
        /// A DNS write of flight `flight` took effect at the provider.
        case dnsLanded(flight: Int)
        /// The provider's answer to flight `flight` reached its caller.
        case dnsAnswered(flight: Int)
    }

    /// True time.
    public let time: Instant
    /// The node the event happened at, nil for world-wide faults.
    public let node: Int?
    public let kind: Kind

    public var description: String {
        let at = String(format: "%.6fs", time.seconds)
        let target = node.map { "node-\($0)" } ?? "world"
        switch kind {
        case .delivered(let from, let count, let hash):
            return "\(at) node-\(from) -> \(target) \(count) B #\(String(hash, radix: 16))"
        case .droppedAtDownNode(let from): return "\(at) node-\(from) -> \(target) dropped (node down)"
        case .deferred: return "\(at) \(target) deferred (paused)"
        case .wakeUp(let timer): return "\(at) \(target) wake-up timer \(timer)"
        case .start(let epoch): return "\(at) \(target) start epoch \(epoch)"
        case .resume(let backlog): return "\(at) \(target) resume, backlog \(backlog)"
        case .fault(let fault): return "\(at) \(fault)"
        case .dnsLanded(let flight): return "\(at) dns write \(flight) landed (by \(target))"
        case .dnsAnswered(let flight): return "\(at) \(target) dns answer \(flight)"
        }
    }
}

/// FNV-1a/64 over every processed event (time, kind, nodes, datagram hash) plus a ring of the
/// last events for violation reports. Two runs with the same trace hash took the same path.
struct TraceRecorder {
    private(set) var hash: UInt64 = FNV1a.offsetBasis
    private var ring: [TraceEntry] = []
    private var ringStart = 0
    let excerptLength: Int

    init(excerptLength: Int) { self.excerptLength = excerptLength }

    mutating func record(_ entry: TraceEntry) {
        hash = FNV1a.mixWord(hash, UInt64(bitPattern: entry.time.nanoseconds))
        hash = FNV1a.mixWord(hash, UInt64(bitPattern: Int64(entry.node ?? -1)))
        switch entry.kind {
        case .delivered(let from, let count, let bytesHash):
            hash = FNV1a.mixWord(hash, 1)
            hash = FNV1a.mixWord(hash, UInt64(from))
            hash = FNV1a.mixWord(hash, UInt64(count))
            hash = FNV1a.mixWord(hash, bytesHash)
        case .droppedAtDownNode(let from):
            hash = FNV1a.mixWord(hash, 2)
            hash = FNV1a.mixWord(hash, UInt64(from))
        case .deferred: hash = FNV1a.mixWord(hash, 3)
        case .wakeUp(let timer):
            hash = FNV1a.mixWord(hash, 4)
            hash = FNV1a.mixWord(hash, UInt64(bitPattern: Int64(timer)))
        case .start(let epoch):
            hash = FNV1a.mixWord(hash, 5)
            hash = FNV1a.mixWord(hash, epoch)
        case .resume(let backlog):
            hash = FNV1a.mixWord(hash, 6)
            hash = FNV1a.mixWord(hash, UInt64(backlog))
        case .fault(let fault):
            hash = FNV1a.mixWord(hash, 7)
            for byte in fault.description.utf8 { hash = FNV1a.mix(hash, byte) }
        case .dnsLanded(let flight):
            hash = FNV1a.mixWord(hash, 8)
            hash = FNV1a.mixWord(hash, UInt64(flight))
        case .dnsAnswered(let flight):
            hash = FNV1a.mixWord(hash, 9)
            hash = FNV1a.mixWord(hash, UInt64(flight))
        }
        if ring.count < excerptLength {
            ring.append(entry)
        } else if excerptLength > 0 {
            ring[ringStart] = entry
            ringStart = (ringStart + 1) % excerptLength
        }
    }

    /// The last events, oldest first.
    var excerpt: [TraceEntry] { Array(ring[ringStart...] + ring[..<ringStart]) }
}

/// Fowler–Noll–Vo 1a, 64-bit.
enum FNV1a {
    static let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01B3

    @inline(__always)
    static func mix(_ hash: UInt64, _ byte: UInt8) -> UInt64 { (hash ^ UInt64(byte)) &* prime }

    /// Mixes a word byte by byte (little-endian), as FNV-1a specifies.
    @inline(__always)
    static func mixWord(_ hash: UInt64, _ word: UInt64) -> UInt64 {
        var h = hash
        for shift in stride(from: 0, to: 64, by: 8) { h = mix(h, UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        return h
    }

    static func hash(_ bytes: [UInt8]) -> UInt64 {
        var h = offsetBasis
        for byte in bytes { h = mix(h, byte) }
        return h
    }
}
