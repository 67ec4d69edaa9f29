import Failover

/// A DNS API as the failover path uses it: carry out one `DNSRequest` (list a name's address
/// records, create, delete, or a whole plan as one batch) within a deadline, and say what
/// happened in the core's terms. Cloudflare is one; an RFC 2136 (UPDATE with prerequisites, one
/// message per plan) or PowerDNS (one PATCH of an RRset per name) provider fits the same shape.
public protocol DNSProvider: Sendable {
    /// Whether `.batch` is applied as one transaction. Without it the planner sends single
    /// calls, every create before every delete, so a name never passes through empty.
    var supportsBatch: Bool { get }

    /// Carries out `request` and answers by `deadline` (measured from the call): a write not
    /// confirmed by then is `.failed(.timedOut)`, and may or may not have landed.
    func perform(_ request: DNSRequest, deadline: Duration) async -> DNSResponse
}
