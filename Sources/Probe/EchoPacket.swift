/// ICMP and ICMPv6 echo messages (RFC 792, RFC 4443 §4): an 8-byte header and Vantage's
/// 16-byte payload, a per-process token and the send time in nanoseconds.
enum EchoPacket {
    static let payloadLength = 16

    /// A parsed echo reply.
    struct Reply: Equatable {
        let identifier: UInt16
        let sequence: UInt16
        let token: UInt64
        let timestamp: UInt64
    }

    /// An echo request; the IPv4 checksum is filled in, the kernel computes ICMPv6's.
    static func request(v6: Bool, identifier: UInt16, sequence: UInt16, token: UInt64, timestamp: UInt64) -> [UInt8] {
        var packet: [UInt8] = [v6 ? 128 : 8, 0, 0, 0,
                               UInt8(identifier >> 8), UInt8(identifier & 0xFF), UInt8(sequence >> 8), UInt8(sequence & 0xFF)]
        for value in [token, timestamp] {
            for shift in stride(from: 56, through: 0, by: -8) { packet.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
        }
        if !v6 {
            let sum = checksum(packet)
            packet[2] = UInt8(sum >> 8)
            packet[3] = UInt8(sum & 0xFF)
        }
        return packet
    }

    /// The Internet checksum (RFC 1071): one's complement of the one's-complement sum of 16-bit words.
    static func checksum(_ bytes: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        var index = 0
        while index + 1 < bytes.count {
            sum += UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
            index += 2
        }
        if index < bytes.count { sum += UInt32(bytes[index]) << 8 }
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) + (sum >> 16) }
        return ~UInt16(sum)
    }

    /// An echo reply carrying Vantage's payload, or nil for anything else. A raw IPv4 socket
    /// delivers the IP header first; ICMPv6 and datagram sockets deliver the ICMP message only.
    static func parseReply(_ datagram: ArraySlice<UInt8>, v6: Bool, raw: Bool) -> Reply? {
        var bytes = Array(datagram)
        if raw, !v6 {
            guard let first = bytes.first, first >> 4 == 4 else { return nil }
            let headerLength = Int(first & 0x0F) * 4
            guard bytes.count >= headerLength else { return nil }
            bytes.removeFirst(headerLength)
        }
        guard bytes.count >= 8 + payloadLength, bytes[0] == (v6 ? 129 : 0), bytes[1] == 0 else { return nil }
        func word(_ at: Int) -> UInt16 { UInt16(bytes[at]) << 8 | UInt16(bytes[at + 1]) }
        func quad(_ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 << 8 | UInt64(bytes[at + $1]) } }
        return Reply(identifier: word(4), sequence: word(6), token: quad(8), timestamp: quad(16))
    }
}
