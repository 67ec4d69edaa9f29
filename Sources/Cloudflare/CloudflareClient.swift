import Failover
import FoundationEssentials
import HTTP
import Provider
import SansIO

/// The Cloudflare DNS provider (API v4, the calls of `Cloudflare`'s doc): zone id by name
/// (cached, looked up again when the API answers 404), paginated lists, create, delete and the
/// batch endpoint. Every call of a request shares the caller's deadline: 429 waits `Retry-After`,
/// 5xx, resets and timeouts are retried with `RetryBackoff`, other 4xx are not; "already exists"
/// (81057, 81058) and "already gone" (81044) count as done. A `TokenBucket` spaces calls.
public actor CloudflareClient: DNSProvider {
    public nonisolated let supportsBatch: Bool
    private let settings: CloudflareSettings
    private let http: HTTPClient
    private let sleep: @Sendable (Duration) async -> Void
    private var jitter: SeededGenerator
    private var bucket: TokenBucket
    private var zoneID: String?
    private var batchAvailable: Bool
    /// HTTP requests sent, retries included.
    public private(set) var requestsSent = 0
    /// Requests sent again after a transient failure (429, 5xx, a reset, a timeout).
    public private(set) var retriesSent = 0

    /// Codes that mean a create already happened.
    public static let alreadyExistsCodes: Set<Int> = [81057, 81058]
    /// The code that means a delete already happened.
    public static let alreadyGoneCode = 81044
    /// Least time worth giving a retry: one API round trip from a far region with a margin.
    static let shortestAttempt: Duration = .milliseconds(300)
    /// "No route for that URI": the API has no such endpoint (a compatible API without batches).
    public static let noRouteCode = 7000

    /// `sleep` and `jitter` are injected so tests are deterministic; the defaults sleep for real
    /// and draw a seed from the system.
    public init(settings: CloudflareSettings, http: HTTPClient = .shared,
                jitter: SeededGenerator = SeededGenerator(seed: UInt64.random(in: .min ... .max)),
                sleep: @escaping @Sendable (Duration) async -> Void = { try? await Task.sleep(for: $0) }) {
        self.settings = settings
        self.http = http
        self.jitter = jitter
        self.sleep = sleep
        bucket = settings.rateLimit
        supportsBatch = settings.useBatch
        batchAvailable = settings.useBatch
    }

    public func perform(_ request: DNSRequest, deadline: Duration) async -> DNSResponse {
        let end = ContinuousClock.now + deadline
        do {
            switch request {
            case .list(let name):
                return .listed(try await list(name: name, until: end))
            case .create(let spec):
                return .created(try await create(spec, until: end))
            case .delete(let record):
                try await delete(record, until: end)
                return .deleted
            case .batch(let creates, let deletes):
                if batchAvailable, let created = try await batches(creates: creates, deletes: deletes, until: end) {
                    return .batched(created: created)
                }
                // Without a batch endpoint: every create before every delete, so the name never passes through empty.
                var created: [DNSRecord] = []
                for spec in creates { created.append(try await create(spec, until: end)) }
                for record in deletes { try await delete(record, until: end) }
                return .batched(created: created)
            }
        } catch {
            return .failed(error.dnsFailure)
        }
    }

    // MARK: - The calls

    /// Every A and AAAA record named `name`, across pages. One list filtered by name only, the
    /// types kept here: half the calls of listing A and AAAA apart, under a rate limit that
    /// matters (`type` and `content` narrow the lookup after an "already exists").
    func list(name: String, type: RecordType? = nil, content: String? = nil, until end: ContinuousClock.Instant) async throws(CloudflareError) -> [DNSRecord] {
        var records: [DNSRecord] = []
        var page = 1
        while true {
            var query = [("name", name)]
            if let type { query.append(("type", type.rawValue)) }
            if let content { query.append(("content", content)) }
            query += [("page", String(page)), ("per_page", String(settings.perPage))]
            let envelope = try await zoneCall(.get, "dns_records", query: query, as: [CloudflareRecord].self, until: end)
            let batch = envelope.result ?? []
            records += batch.compactMap(Self.record)
            let totalPages = envelope.resultInfo?.totalPages
            if batch.isEmpty || totalPages.map({ page >= $0 }) ?? (batch.count < settings.perPage) { return records }
            page += 1
        }
    }

    private func create(_ spec: RecordSpec, until end: ContinuousClock.Instant) async throws(CloudflareError) -> DNSRecord {
        do throws(CloudflareError) {
            let envelope = try await zoneCall(.post, "dns_records", body: try encode(Self.body(spec)), as: CloudflareRecord.self, until: end)
            guard let record = envelope.result.flatMap(Self.record) else { throw .notAnEnvelope(status: 200) }
            return record
        } catch where !Set(error.codes).isDisjoint(with: Self.alreadyExistsCodes) {
            // Done already (a retry whose first attempt landed, or another writer): find its id.
            let existing = try await list(name: spec.name, type: spec.type, content: spec.content, until: end)
            return existing.first ?? spec.record(id: "")
        }
    }

    private func delete(_ record: DNSRecord, until end: ContinuousClock.Instant) async throws(CloudflareError) {
        do {
            _ = try await zoneCall(.delete, "dns_records/\(record.id)", as: JSONValue.self, until: end)
        } catch where error.codes.contains(Self.alreadyGoneCode) {
            return
        }
    }

    /// The plan in transactions of at most `maximumBatchChanges`, every create in an earlier or
    /// the same transaction as every delete, so a name split across two still never passes
    /// through empty. The created records, or nil when the API has no batch endpoint.
    private func batches(creates: [RecordSpec], deletes: [DNSRecord], until end: ContinuousClock.Instant) async throws(CloudflareError) -> [DNSRecord]? {
        let size = max(1, settings.maximumBatchChanges), total = creates.count + deletes.count
        var created: [DNSRecord] = []
        for start in stride(from: 0, to: total, by: size) {
            let range = start..<min(start + size, total)
            let posts = creates[range.clamped(to: 0..<creates.count)]
            let removals = deletes[(range.lowerBound - creates.count..<range.upperBound - creates.count).clamped(to: 0..<deletes.count)]
            guard let made = try await batch(creates: Array(posts), deletes: Array(removals), until: end) else { return nil }
            created += made
        }
        return created
    }

    /// One transaction's created records, or nil when the API has no batch endpoint (remembered).
    private func batch(creates: [RecordSpec], deletes: [DNSRecord], until end: ContinuousClock.Instant) async throws(CloudflareError) -> [DNSRecord]? {
        let body = CloudflareBatchBody(deletes: deletes.map { .init(id: $0.id) }, posts: creates.map(Self.body))
        do {
            let envelope = try await zoneCall(.post, "dns_records/batch", body: try encode(body), as: CloudflareBatchResult.self, until: end)
            return (envelope.result?.posts ?? []).compactMap(Self.record)
        } catch {
            switch error {
            case .api(404, let errors, _), .api(405, let errors, _):
                guard errors.isEmpty || errors.contains(where: { $0.code == Self.noRouteCode }) else { throw error }
            case .htmlPage(404), .notJSON(404), .htmlPage(405), .notJSON(405):
                break
            default:
                throw error
            }
            batchAvailable = false
            return nil
        }
    }

    // MARK: - Zone, retries, rate limit

    /// A call under `/zones/{zone_id}/`; a 404 that is neither "record already gone" nor "no
    /// such route" may mean the cached zone id is stale, so it is looked up again and the call
    /// repeated once.
    private func zoneCall<Result: Decodable & Sendable>(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: [UInt8]? = nil,
                                                        as type: Result.Type, until end: ContinuousClock.Instant) async throws(CloudflareError) -> CloudflareEnvelope<Result> {
        let zone = try await zone(until: end)
        do {
            return try await call(method, "/zones/\(zone)/\(path)", query: query, body: body, as: type, until: end)
        } catch {
            guard case .api(404, let errors, _) = error, !errors.isEmpty,
                  !errors.contains(where: { $0.code == Self.alreadyGoneCode || $0.code == Self.noRouteCode }) else { throw error }
            zoneID = nil
            let fresh = try await self.zone(until: end)
            guard fresh != zone else { throw error }
            return try await call(method, "/zones/\(fresh)/\(path)", query: query, body: body, as: type, until: end)
        }
    }

    private func zone(until end: ContinuousClock.Instant) async throws(CloudflareError) -> String {
        if let zoneID { return zoneID }
        let envelope = try await call(.get, "/zones", query: [("name", settings.zoneName)], as: [CloudflareZone].self, until: end)
        guard let zone = envelope.result?.first(where: { $0.name == settings.zoneName }) else {
            throw CloudflareError.api(status: 404, errors: [CloudflareMessage(code: 1001, message: "no zone named \(settings.zoneName)")], retryAfter: nil)
        }
        zoneID = zone.id
        return zone.id
    }

    /// One API call with its retries, all before `end`. The last failure is thrown when no retry
    /// fits; a timeout anywhere is reported as a timeout, since that write may have landed.
    private func call<Result: Decodable & Sendable>(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: [UInt8]? = nil,
                                                    as type: Result.Type, until end: ContinuousClock.Instant) async throws(CloudflareError) -> CloudflareEnvelope<Result> {
        let url = settings.baseURL + path + (query.isEmpty ? "" : "?" + query.map { "\($0)=\(Self.percentEncoded($1))" }.joined(separator: "&"))
        var headers = settings.credentials.headers + [HTTPHeader("User-Agent", settings.userAgent)]
        if body != nil { headers.append(HTTPHeader("Content-Type", "application/json")) }
        var retries = 0
        var timedOut = false
        while true {
            let wait = bucket.take(at: .now)
            if wait > .zero {
                guard ContinuousClock.now + wait < end else {
                    throw timedOut ? .transport(.timedOut) : .api(status: 429, errors: [CloudflareMessage(code: 971, message: "client-side rate limit")], retryAfter: wait)
                }
                await sleep(wait)
                continue
            }
            let remaining = end - .now
            guard remaining > .milliseconds(1) else { throw .transport(.timedOut) }
            requestsSent += 1
            let request = HTTPRequest(method: method, url: url, headers: headers, body: body ?? [], timeout: remaining,
                                      tls: settings.tls, maximumBodyBytes: settings.maximumBodyBytes)
            let error: CloudflareError
            switch await http.send(request) {
            case .success(let response):
                switch CloudflareResponse.decode(response, as: type) {
                case .success(let envelope): return envelope
                case .failure(let failure): error = failure
                }
            case .failure(let failure):
                error = .transport(failure)
            }
            if case .transport(.timedOut) = error { timedOut = true }
            guard error.isTransient else { throw error }
            retries += 1
            retriesSent += 1
            var delay = settings.backoff.delay(beforeRetry: retries, using: &jitter)
            if case .api(429, _, let retryAfter?) = error { delay = retryAfter }
            // A retry that would have less than `shortestAttempt` left cannot succeed; report what happened.
            guard ContinuousClock.now + delay + Self.shortestAttempt <= end else { throw timedOut ? .transport(.timedOut) : error }
            await sleep(delay)
        }
    }

    // MARK: - Wire shapes

    private func encode(_ value: some Encodable) throws(CloudflareError) -> [UInt8] {
        do { return Array(try JSONEncoder().encode(value)) } catch { throw .transport(.invalidRequest("cannot encode the request body")) }
    }

    static func body(_ spec: RecordSpec) -> CloudflareRecordBody {
        CloudflareRecordBody(type: spec.type.rawValue, name: spec.name, content: spec.content, ttl: spec.ttl, proxied: spec.proxied, comment: spec.comment)
    }

    /// The record, when it is an address record (A or AAAA).
    static func record(_ wire: CloudflareRecord) -> DNSRecord? {
        guard let type = RecordType(rawValue: wire.type) else { return nil }
        return DNSRecord(id: wire.id, name: wire.name, type: type, content: wire.content, proxied: wire.proxied ?? false,
                         ttl: wire.ttl ?? 1, comment: wire.comment)
    }

    /// RFC 3986 percent-encoding of a query value: everything but the unreserved characters.
    static func percentEncoded(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.append(Character(UnicodeScalar(byte)))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                encoded += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return encoded
    }
}
