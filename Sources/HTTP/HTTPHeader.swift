/// One header line. Names compare case-insensitively (RFC 9110 §5.1). Printed, a credential's
/// value is redacted.
public struct HTTPHeader: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// Header names whose values are credentials: never logged, never in an error or a description.
    public static let secretNames: Set<String> = ["authorization", "x-auth-key", "proxy-authorization", "cookie"]

    /// Whether the value is a credential.
    public var isSecret: Bool { Self.secretNames.contains(name.lowercased()) }

    /// `Name: value`, or `Name: <redacted>` for a credential.
    public var redacted: String { "\(name): \(isSecret ? "<redacted>" : value)" }

    public var description: String { redacted }
    public var debugDescription: String { redacted }
}

extension Array where Element == HTTPHeader {
    /// The first value of the header `name` (case-insensitive).
    public func value(of name: String) -> String? {
        let lowered = name.lowercased()
        return first { $0.name.lowercased() == lowered }?.value
    }
}
