import IO

/// A request as the server's handler sees it: complete, within the limits.
public struct HTTPServerRequest: Sendable {
    public var method: HTTPMethod
    /// The request target as sent (`/zones?name=example.com`).
    public var target: String
    /// The target's path, not percent-decoded (`/zones`).
    public var path: String
    /// The query's `name=value` pairs in order, percent-decoded (`+` is a space).
    public var query: [(name: String, value: String)]
    public var headers: [HTTPHeader]
    public var body: [UInt8]
    /// The client's address.
    public var peer: SocketAddress

    public init(method: HTTPMethod, target: String, headers: [HTTPHeader], body: [UInt8], peer: SocketAddress) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.peer = peer
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = String(parts.first ?? "")
        query = parts.count < 2 ? [] : parts[1].split(separator: "&").map { pair in
            let halves = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (Self.percentDecoded(halves[0]), halves.count > 1 ? Self.percentDecoded(halves[1]) : "")
        }
    }

    /// The first query value named `name`.
    public func queryValue(_ name: String) -> String? { query.first { $0.name == name }?.value }

    /// `text` with `%XX` escapes decoded and `+` read as a space; a malformed escape stays as written.
    static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var input = Array(text.utf8)[...]
        while let byte = input.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), input.count >= 2,
                      let value = UInt8(String(decoding: input.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                input = input.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
