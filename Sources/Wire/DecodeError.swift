/// Why untrusted bytes were rejected. Decoders return these instead of trapping, and receivers
/// count them by case (a bad packet is dropped and counted, never fatal).
public enum DecodeError: Error, Equatable, Sendable {
    /// The input ended before `field` was complete.
    case truncated(field: String)
    /// A length prefix or count exceeded its fixed bound.
    case tooLong(field: String, length: Int, limit: Int)
    /// A field held a value outside its domain (unknown tag, non-canonical varint, bad UTF-8...).
    case invalidValue(field: String)
    /// Bytes were left over after a complete message.
    case trailingBytes(count: Int)
    /// The frame or envelope carries a protocol version this build does not speak.
    case unsupportedVersion(UInt8)

    /// A short, stable label for metrics (`vantage_packets_dropped_total{reason=…}`).
    public var reason: String {
        switch self {
        case .truncated: "truncated"
        case .tooLong: "too_long"
        case .invalidValue: "invalid_value"
        case .trailingBytes: "trailing_bytes"
        case .unsupportedVersion: "unsupported_version"
        }
    }
}
