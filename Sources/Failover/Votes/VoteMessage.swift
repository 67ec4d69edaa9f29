import SansIO
import Wire

/// One datagram's worth of an agent's views: the body of a `MessageKind.vote` envelope.
///
/// Views go to every voter on every change and every `vote_interval` (DESIGN.md "Observations
/// and votes"). A full view set larger than one body (``maximumBodyBytes``) is split into several
/// messages by ``split(_:bootEpoch:round:)``; each view stands alone, so parts can arrive in any
/// order or not at all. `(bootEpoch, round)` orders a sender's messages, so a delayed older copy
/// never overwrites a newer view.
///
/// Layout: `version u8 | bootEpoch varint | round varint | count varint | view*`, a view being
/// `address string | state u8 | age ms varint | successes varint | failures varint | rtt µs + 1 varint (0: none)`.
public struct VoteMessage: Sendable, Hashable {
    public static let version: UInt8 = 1
    /// A vote body never exceeds this, so the sealed datagram stays under the 1,400-byte limit.
    public static let maximumBodyBytes = 1_200
    static let maximumAddressBytes = 64
    /// Ages, counts and RTTs beyond these are clamped when encoding and refused when decoding.
    static let maximumAgeMilliseconds: UInt64 = 1 << 40
    static let maximumCount: UInt64 = 1 << 32

    /// The sender's boot epoch (a restarted sender starts a new, higher epoch).
    public var bootEpoch: UInt64
    /// Increases with every vote round the sender sends within one boot.
    public var round: UInt64
    public var views: [EndpointView]

    public init(bootEpoch: UInt64, round: UInt64, views: [EndpointView]) {
        self.bootEpoch = bootEpoch
        self.round = round
        self.views = views
    }

    /// Whether this message was sent after `other` by the same sender.
    public func isNewer(than other: (bootEpoch: UInt64, round: UInt64)) -> Bool {
        (bootEpoch, round) > other
    }

    /// `views` as the fewest messages whose bodies each fit ``maximumBodyBytes``, in order.
    public static func split(_ views: [EndpointView], bootEpoch: UInt64, round: UInt64) -> [VoteMessage] {
        let header = headerBytes(bootEpoch: bootEpoch, round: round)
        var messages: [VoteMessage] = []
        var current: [EndpointView] = []
        var size = header
        for view in views {
            let viewSize = encodedSize(of: view)
            if !current.isEmpty, size + viewSize > maximumBodyBytes {
                messages.append(VoteMessage(bootEpoch: bootEpoch, round: round, views: current))
                current = []
                size = header
            }
            current.append(view)
            size += viewSize
        }
        if !current.isEmpty || messages.isEmpty {
            messages.append(VoteMessage(bootEpoch: bootEpoch, round: round, views: current))
        }
        return messages
    }

    public func encoded() -> [UInt8] {
        var writer = ByteWriter(capacity: Self.maximumBodyBytes)
        writer.write(Self.version)
        writer.writeVarint(bootEpoch)
        writer.writeVarint(round)
        writer.writeVarint(UInt64(views.count))
        for view in views { Self.write(view, to: &writer) }
        return writer.bytes
    }

    /// Decodes an untrusted body; never traps.
    public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> VoteMessage {
        var reader = ByteReader(bytes)
        let version = try reader.readUInt8("version")
        guard version == Self.version else { throw .unsupportedVersion(version) }
        let bootEpoch = try reader.readVarint("bootEpoch")
        let round = try reader.readVarint("round")
        // Every view takes at least 6 bytes, which bounds the count by the body size.
        let count = try reader.readVarint("count", limit: maximumBodyBytes / 6)
        var views: [EndpointView] = []
        views.reserveCapacity(count)
        for _ in 0..<count {
            let address = try reader.readString("address", limit: maximumAddressBytes)
            let state: EndpointView.State
            switch try reader.readUInt8("state") {
            case 0: state = .unknown
            case 1: state = .up
            case 2: state = .down
            default: throw .invalidValue(field: "state")
            }
            let age = try reader.readVarint("age")
            guard age <= maximumAgeMilliseconds else { throw .invalidValue(field: "age") }
            let successes = try reader.readVarint("successes")
            let failures = try reader.readVarint("failures")
            guard successes <= maximumCount, failures <= maximumCount else { throw .invalidValue(field: "streak") }
            let rtt = try reader.readVarint("rtt")
            guard rtt <= maximumAgeMilliseconds * 1_000 else { throw .invalidValue(field: "rtt") }
            views.append(EndpointView(address: address, state: state, age: .milliseconds(Int64(age)),
                                      successes: Int(successes), failures: Int(failures),
                                      lastRTT: rtt == 0 ? nil : .microseconds(Int64(rtt - 1))))
        }
        try reader.expectEnd()
        return VoteMessage(bootEpoch: bootEpoch, round: round, views: views)
    }

    private static func write(_ view: EndpointView, to writer: inout ByteWriter) {
        writer.write(String(view.address.utf8.prefix(maximumAddressBytes)) ?? "")
        switch view.state {
        case .unknown: writer.write(UInt8(0))
        case .up: writer.write(UInt8(1))
        case .down: writer.write(UInt8(2))
        }
        writer.writeVarint(min(UInt64(max(0, view.age.nanoseconds / 1_000_000)), maximumAgeMilliseconds))
        writer.writeVarint(min(UInt64(max(0, view.successes)), maximumCount))
        writer.writeVarint(min(UInt64(max(0, view.failures)), maximumCount))
        let rtt = view.lastRTT.map { min(UInt64(max(0, $0.nanoseconds / 1_000)), maximumAgeMilliseconds * 1_000 - 1) + 1 } ?? 0
        writer.writeVarint(rtt)
    }

    private static func headerBytes(bootEpoch: UInt64, round: UInt64) -> Int {
        1 + varintSize(bootEpoch) + varintSize(round) + varintSize(UInt64(maximumBodyBytes))
    }

    private static func encodedSize(of view: EndpointView) -> Int {
        var writer = ByteWriter(capacity: 96)
        write(view, to: &writer)
        return writer.count
    }

    private static func varintSize(_ value: UInt64) -> Int {
        var value = value, size = 1
        while value >= 0x80 { value >>= 7; size += 1 }
        return size
    }
}
