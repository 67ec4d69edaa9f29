/// One call to the DNS provider, as the failover core asks for it. The shell (the runtime's
/// provider, the simulator's model) carries it out within the directive's deadline and reports a
/// `DNSResponse`.
///
/// A plan becomes one `batch` where the provider supports batches (one transaction, so a name
/// never passes through empty), otherwise single calls with every create before every delete.
public enum DNSRequest: Sendable, Hashable, CustomStringConvertible {
    /// The address records (A and AAAA) currently held for one name.
    case list(name: String)
    case create(RecordSpec)
    case delete(DNSRecord)
    /// All-or-nothing: the provider applies every change or none.
    case batch(creates: [RecordSpec], deletes: [DNSRecord])

    /// Whether the call changes the zone (and so needs a write permit).
    public var isWrite: Bool {
        if case .list = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .list(let name): return "list \(name)"
        case .create(let spec): return "create \(spec)"
        case .delete(let record): return "delete \(record)"
        case .batch(let creates, let deletes):
            let parts = creates.map { "create \($0)" } + deletes.map { "delete \($0)" }
            return "batch [\(parts.joined(separator: "; "))]"
        }
    }
}

/// What a provider answered to a `DNSRequest`.
public enum DNSResponse: Sendable, Hashable {
    /// The records a `list` found.
    case listed([DNSRecord])
    /// The record a `create` made (or found already there: an "already exists" answer counts as done).
    case created(DNSRecord)
    /// A `delete` took effect (or the record was already gone).
    case deleted
    /// A `batch` took effect whole; the records it created.
    case batched(created: [DNSRecord])
    /// The call did not take effect, or its outcome is unknown.
    case failed(DNSFailure)
}

/// Why a DNS call failed, in the terms the failover core decides on.
public enum DNSFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The deadline passed before an answer; the write may or may not have landed.
    case timedOut
    /// The provider asked to slow down; retry no sooner than `retryAfter`.
    case rateLimited(retryAfter: Duration)
    /// A transient failure (5xx, connection reset): retry with backoff.
    case unavailable(String)
    /// Credentials were refused: stop writing and alert; monitoring goes on.
    case unauthorized(String)
    /// The provider rejected the request itself (a 4xx other than the above): not retried.
    case rejected(String)

    /// Whether trying the same call again later can succeed.
    public var isTransient: Bool {
        switch self {
        case .timedOut, .rateLimited, .unavailable: return true
        case .unauthorized, .rejected: return false
        }
    }

    public var description: String {
        switch self {
        case .timedOut: return "timed out"
        case .rateLimited(let wait): return "rate limited (retry after \(wait))"
        case .unavailable(let why): return "unavailable: \(why)"
        case .unauthorized(let why): return "unauthorized: \(why)"
        case .rejected(let why): return "rejected: \(why)"
        }
    }
}

extension DNSRequest {
    /// The hostname the call is about (a batch only ever carries one name's plan).
    public var name: String {
        switch self {
        case .list(let name): return name
        case .create(let spec): return spec.name
        case .delete(let record): return record.name
        case .batch(let creates, let deletes): return creates.first?.name ?? deletes.first?.name ?? ""
        }
    }
}
