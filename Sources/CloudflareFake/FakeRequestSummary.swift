/// One request the fake answered, for its request log: who asked what, and whether the zone changed.
public struct FakeRequestSummary: Sendable, Hashable, CustomStringConvertible {
    public var method: String
    public var target: String
    /// The client's IP address.
    public var source: String
    public var userAgent: String?
    /// The status answered; nil when the connection was dropped without an answer.
    public var status: Int?
    /// Whether the request created or deleted records.
    public var changedZone: Bool

    /// `request DELETE /client/v4/zones/…/dns_records/… status=200 write=yes from=127.0.0.1 agent="vantage (node fra)"`.
    public var description: String {
        "request \(method) \(target) status=\(status.map(String.init) ?? "dropped") write=\(changedZone ? "yes" : "no") from=\(source) agent=\"\(userAgent ?? "")\""
    }
}
