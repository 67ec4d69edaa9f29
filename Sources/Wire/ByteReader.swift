/// Reads the primitives `ByteWriter` writes from untrusted bytes.
///
/// Every read is bounds-checked and throws `DecodeError` instead of trapping; every length prefix
/// is checked against a caller-supplied limit before anything is allocated, so a hostile length
/// cannot make the decoder allocate unbounded memory.
public struct ByteReader: Sendable {
    private let bytes: [UInt8]
    /// Index of the next unread byte.
    public private(set) var offset: Int

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        offset = 0
    }

    public var remaining: Int { bytes.count - offset }
    public var isAtEnd: Bool { offset == bytes.count }

    public mutating func readUInt8(_ field: String) throws(DecodeError) -> UInt8 {
        guard offset < bytes.count else { throw .truncated(field: field) }
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func readBool(_ field: String) throws(DecodeError) -> Bool {
        switch try readUInt8(field) {
        case 0: return false
        case 1: return true
        default: throw .invalidValue(field: field)
        }
    }

    public mutating func readUInt16(_ field: String) throws(DecodeError) -> UInt16 {
        UInt16(truncatingIfNeeded: try readBigEndian(field, width: 2))
    }

    public mutating func readUInt32(_ field: String) throws(DecodeError) -> UInt32 {
        UInt32(truncatingIfNeeded: try readBigEndian(field, width: 4))
    }

    public mutating func readUInt64(_ field: String) throws(DecodeError) -> UInt64 {
        try readBigEndian(field, width: 8)
    }

    private mutating func readBigEndian(_ field: String, width: Int) throws(DecodeError) -> UInt64 {
        guard remaining >= width else { throw .truncated(field: field) }
        var value: UInt64 = 0
        for index in offset..<(offset + width) { value = value << 8 | UInt64(bytes[index]) }
        offset += width
        return value
    }

    /// An unsigned LEB128 varint; at most 10 bytes, canonical (no redundant trailing zero groups).
    public mutating func readVarint(_ field: String) throws(DecodeError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readUInt8(field)
            let payload = UInt64(byte & 0x7F)
            if shift == 63 && payload > 1 { throw .invalidValue(field: field) }
            value |= payload << shift
            if byte & 0x80 == 0 {
                if byte == 0 && shift > 0 { throw .invalidValue(field: field) }
                return value
            }
            shift += 7
            if shift > 63 { throw .invalidValue(field: field) }
        }
    }

    /// A zig-zag varint written by `ByteWriter.writeVarint(signed:)`.
    public mutating func readSignedVarint(_ field: String) throws(DecodeError) -> Int64 {
        let raw = try readVarint(field)
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// A varint that must fit in `limit` (counts, small enums).
    public mutating func readVarint(_ field: String, limit: Int) throws(DecodeError) -> Int {
        let raw = try readVarint(field)
        guard raw <= UInt64(limit) else { throw .tooLong(field: field, length: Int(clamping: raw), limit: limit) }
        return Int(raw)
    }

    /// Exactly `count` raw bytes (fixed-size fields).
    public mutating func readRaw(_ field: String, count: Int) throws(DecodeError) -> [UInt8] {
        guard count >= 0, remaining >= count else { throw .truncated(field: field) }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    /// A varint length (≤ `limit`) followed by that many bytes.
    public mutating func readLengthPrefixed(_ field: String, limit: Int) throws(DecodeError) -> [UInt8] {
        let length = try readVarint(field, limit: limit)
        return try readRaw(field, count: length)
    }

    /// A length-prefixed UTF-8 string of at most `limit` bytes.
    public mutating func readString(_ field: String, limit: Int) throws(DecodeError) -> String {
        let raw = try readLengthPrefixed(field, limit: limit)
        guard let string = String(validating: raw, as: UTF8.self) else { throw .invalidValue(field: field) }
        return string
    }

    /// All bytes not yet read.
    public mutating func readRest() -> [UInt8] {
        defer { offset = bytes.count }
        return Array(bytes[offset...])
    }

    /// Throws unless every byte was consumed.
    public func expectEnd() throws(DecodeError) {
        guard isAtEnd else { throw .trailingBytes(count: remaining) }
    }
}
