import Cloudflare
import FoundationEssentials
import HTTP
import IO

/// A Cloudflare API v4 fake on real HTTP (loopback): zones, DNS records with Cloudflare's
/// envelopes, pagination, the `name`/`type`/`content` filters, 81057/81058 on create, 81044 on
/// delete, batches all-or-nothing, both auth styles, and injected faults. Given the published
/// OpenAPI description it validates every request first: what the description rejects is
/// answered 400 with code 1004 and changes nothing. It counts requests and writes per source address.
public actor CloudflareFake {
    /// What the fake serves and accepts.
    public struct Settings: Sendable {
        public var zones: [String]
        /// API tokens accepted as `Authorization: Bearer …`.
        public var tokens: Set<String>
        /// Global keys accepted with `X-Auth-Email` (key: the e-mail).
        public var globalKeys: [String: String]
        /// Without it the batch path answers 404 (a compatible API that lacks batches).
        public var batchSupported: Bool
        /// The OpenAPI description to validate against; nil runs unvalidated.
        public var specificationPath: String?
        /// Most changes one batch may carry (Cloudflare's free plan: 200); more is refused whole.
        public var maximumBatchChanges = 200
        /// Told of every request once it is answered (the fake's process prints these lines).
        public var onRequest: (@Sendable (FakeRequestSummary) -> Void)?

        public init(zones: [String] = ["example.com"], tokens: Set<String> = ["test-token"],
                    globalKeys: [String: String] = ["ops@example.com": "test-key"], batchSupported: Bool = true,
                    specificationPath: String? = nil) {
            self.zones = zones
            self.tokens = tokens
            self.globalKeys = globalKeys
            self.batchSupported = batchSupported
            self.specificationPath = specificationPath
        }
    }

    public static let basePath = "/client/v4"

    private let settings: Settings
    private let specification: OpenAPIDocument?
    private var zones: [FakeZone]
    /// By id; ids are zero-padded hex of a counter, so their order is creation order.
    private var records: [String: FakeRecord] = [:]
    private var nextRecord = 1
    private var faults: [(fault: FakeFault, remaining: Int)] = []
    private var requests: [String: Int] = [:]
    private var writes: [String: Int] = [:]
    private var server: HTTPServer?
    /// Every request the description rejected, with why.
    public private(set) var rejections: [String] = []

    /// Reads the description when the settings name one (throws when it cannot be read).
    public init(settings: Settings = Settings()) throws {
        self.settings = settings
        specification = try settings.specificationPath.map(OpenAPIDocument.init(contentsOf:))
        zones = settings.zones.enumerated().map { FakeZone(id: Self.identifier(0xA000 + $0.offset), name: $0.element) }
    }

    /// Starts serving on `address` (port 0: any) and returns the base URL to give a client.
    public func listen(on address: SocketAddress) throws -> String {
        let server = try HTTPServer(binding: address) { [self] request in await handle(request) }
        self.server = server
        return "http://\(server.address)\(Self.basePath)"
    }

    public func stop() { server?.stop() }

    /// Queues `fault` for the next `times` requests.
    public func inject(_ fault: FakeFault, times: Int = 1) { faults.append((fault, times)) }

    /// Requests received from `address` (an IP, `127.0.0.1`).
    public func requestCount(from address: String) -> Int { requests[address, default: 0] }

    /// Requests from `address` that changed the zone.
    public func writeCount(from address: String) -> Int { writes[address, default: 0] }

    /// The records of `zone`, in creation order.
    public func records(in zone: String) -> [FakeRecord] {
        guard let id = zones.first(where: { $0.name == zone })?.id else { return [] }
        return records.values.filter { $0.zoneID == id }.sorted { $0.id < $1.id }
    }

    /// Gives every zone a new id, as deleting and re-adding a zone does (records move along).
    public func renumberZones() {
        for index in zones.indices {
            let old = zones[index].id, new = Self.identifier(0xB000 + nextRecord + index)
            zones[index].id = new
            for (id, record) in records where record.zoneID == old { records[id]?.zoneID = new }
        }
        nextRecord += zones.count
    }

    /// Adds a record directly (test setup); returns its id.
    @discardableResult
    public func insert(zone: String, name: String, type: String, content: String, ttl: Int = 1, proxied: Bool = false, comment: String? = nil) -> String {
        let zoneID = zones.first(where: { $0.name == zone })?.id ?? ""
        let record = FakeRecord(id: Self.identifier(nextRecord), zoneID: zoneID, name: name.lowercased(), type: type, content: content,
                                proxied: proxied, ttl: ttl, comment: comment)
        nextRecord += 1
        records[record.id] = record
        return record.id
    }

    // MARK: - Serving

    private func handle(_ request: HTTPServerRequest) async -> HTTPServerReply {
        let source = Self.ip(of: request.peer)
        requests[source, default: 0] += 1
        guard request.path.hasPrefix(Self.basePath + "/") else { return Self.failure(404, 7000, "No route for that URI") }
        let path = String(request.path.dropFirst(Self.basePath.count))
        var lostAnswer: Duration?
        if let index = faults.firstIndex(where: { $0.remaining > 0 }) {
            faults[index].remaining -= 1
            switch faults[index].fault {
            case .rateLimited(let seconds):
                var reply = Self.response(429, FakeEnvelope<FakeIdentifier>(success: false, errors: [CloudflareMessage(code: 971, message: "Please wait and consider throttling your request speed")]))
                reply.headers.append(HTTPHeader("Retry-After", String(seconds)))
                return .respond(reply)
            case .serverError:
                return Self.failure(500, 10002, "Internal server error")
            case .drop:
                return .drop
            case .slow(let delay):
                try? await Task.sleep(for: delay)
            case .lostAnswer(let hold):
                lostAnswer = hold
            }
        }
        let writesBefore = writes[source, default: 0]
        let reply = serve(request, path: path, source: source)
        if let onRequest = settings.onRequest {
            let status: Int? = if case .respond(let response) = reply, lostAnswer == nil { response.status } else { nil }
            onRequest(FakeRequestSummary(method: request.method.rawValue, target: request.target, source: source,
                                         userAgent: request.headers.value(of: "User-Agent"), status: status,
                                         changedZone: writes[source, default: 0] != writesBefore))
        }
        if let lostAnswer {
            try? await Task.sleep(for: lostAnswer)
            return .drop
        }
        return reply
    }

    private func serve(_ request: HTTPServerRequest, path: String, source: String) -> HTTPServerReply {
        let parts = path.split(separator: "/").map(String.init)
        let isBatch = parts.count == 4 && parts[3] == "batch"
        if isBatch, !settings.batchSupported { return Self.failure(404, 7000, "No route for that URI") }
        if let specification {
            guard specification.describes(request.method, path: path) else { return Self.failure(404, 7000, "No route for that URI") }
            let violations = specification.violations(of: request, path: path)
            if !violations.isEmpty {
                rejections.append("\(request.method.rawValue) \(request.target): \(violations.joined(separator: "; "))")
                return Self.failure(400, 1004, "DNS Validation Error: \(violations.joined(separator: "; "))")
            }
        }
        if let refusal = authenticate(request.headers) { return refusal }
        guard parts.first == "zones" else { return Self.failure(404, 7000, "No route for that URI") }
        if parts.count == 1, request.method == .get {
            let name = request.queryValue("name")
            return Self.respond(zones.filter { name == nil || $0.name == name }, page: 1, perPage: 50)
        }
        guard parts.count >= 3, parts[2] == "dns_records", let zone = zones.first(where: { $0.id == parts[1] }) else {
            return Self.failure(404, 7003, "Could not route to \(path), perhaps your object identifier is invalid?")
        }
        switch (request.method, parts.count) {
        case (.get, 3):
            return list(zone, request)
        case (.post, 3):
            return create(zone, request.body, source: source)
        case (.post, 4) where isBatch:
            return batch(zone, request.body, source: source)
        case (.get, 4):
            guard let record = records[parts[3]], record.zoneID == zone.id else { return Self.failure(404, 81044, "Record does not exist.") }
            return Self.reply(200, FakeEnvelope(success: true, errors: [], result: record))
        case (.delete, 4):
            guard records[parts[3]]?.zoneID == zone.id else { return Self.failure(404, 81044, "Record does not exist.") }
            records[parts[3]] = nil
            writes[source, default: 0] += 1
            return Self.reply(200, FakeEnvelope(success: true, errors: [], result: FakeIdentifier(id: parts[3])))
        default:
            return Self.failure(405, 10405, "Method not allowed for this route")
        }
    }

    private func authenticate(_ headers: [HTTPHeader]) -> HTTPServerReply? {
        if let authorization = headers.value(of: "Authorization") {
            let token = authorization.hasPrefix("Bearer ") ? String(authorization.dropFirst(7)) : ""
            return settings.tokens.contains(token) ? nil : Self.failure(403, 9109, "Invalid access token")
        }
        guard let email = headers.value(of: "X-Auth-Email"), let key = headers.value(of: "X-Auth-Key") else {
            return Self.failure(400, 9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers")
        }
        return settings.globalKeys[email] == key ? nil : Self.failure(403, 10000, "Authentication error")
    }

    private func list(_ zone: FakeZone, _ request: HTTPServerRequest) -> HTTPServerReply {
        let name = request.queryValue("name")?.lowercased(), type = request.queryValue("type"), content = request.queryValue("content")
        let matching = records.values.filter {
            $0.zoneID == zone.id && (name == nil || $0.name == name) && (type == nil || $0.type == type)
                && (content == nil || $0.content == content)
        }.sorted { $0.id < $1.id }
        let page = max(1, Int(request.queryValue("page") ?? "") ?? 1)
        let perPage = min(5_000_000, max(1, Int(request.queryValue("per_page") ?? "") ?? 100))
        return Self.respond(matching, page: page, perPage: perPage)
    }

    private func create(_ zone: FakeZone, _ body: [UInt8], source: String) -> HTTPServerReply {
        guard JSONValue.nests(body), let input = try? JSONDecoder().decode(FakeRecordInput.self, from: Data(body)) else {
            return Self.failure(400, 9207, "Request body is invalid.")
        }
        if let refusal = conflict(input, zone: zone, ignoring: [], staged: []) { return Self.failure(400, refusal.code, refusal.message) }
        let record = add(input, zone: zone)
        writes[source, default: 0] += 1
        return Self.reply(200, FakeEnvelope(success: true, errors: [], result: record))
    }

    /// Checks every delete and post first; the zone changes only if all of them can be applied
    /// (deletes, then posts, as Cloudflare orders a batch).
    private func batch(_ zone: FakeZone, _ body: [UInt8], source: String) -> HTTPServerReply {
        guard JSONValue.nests(body), let input = try? JSONDecoder().decode(FakeBatchInput.self, from: Data(body)) else {
            return Self.failure(400, 9207, "Request body is invalid.")
        }
        let deletions = (input.deletes ?? []).map(\.id)
        if deletions.count + (input.posts ?? []).count > settings.maximumBatchChanges {
            return Self.failure(400, 1004, "A batch may carry at most \(settings.maximumBatchChanges) changes; no change was made.")
        }
        if let missing = deletions.first(where: { records[$0]?.zoneID != zone.id }) ?? (Set(deletions).count < deletions.count ? deletions.first : nil) {
            return Self.failure(400, 81044, "Record \(missing) does not exist; no change was made.")
        }
        let posts = input.posts ?? []
        for (index, post) in posts.enumerated() {
            if let refusal = conflict(post, zone: zone, ignoring: Set(deletions), staged: Array(posts[..<index])) {
                return Self.failure(400, refusal.code, "\(refusal.message) No change was made.")
            }
        }
        let deleted = deletions.compactMap { records.removeValue(forKey: $0) }
        let created = posts.map { add($0, zone: zone) }
        writes[source, default: 0] += 1
        return Self.reply(200, FakeEnvelope(success: true, errors: [], result: FakeBatchResult(deletes: deleted, posts: created)))
    }

    /// Why `input` cannot be created next to the zone's records (less `ignoring`) and `staged`:
    /// 81058 for an identical record, 81057 for one with the same name, type and content.
    private func conflict(_ input: FakeRecordInput, zone: FakeZone, ignoring: Set<String>, staged: [FakeRecordInput]) -> Refusal? {
        let name = input.name.lowercased()
        let settings: (ttl: Int, proxied: Bool, comment: String?)
        if let record = records.values.first(where: {
            $0.content == input.content && $0.name == name && $0.type == input.type && $0.zoneID == zone.id && !ignoring.contains($0.id)
        }) {
            settings = (record.ttl, record.proxied, record.comment)
        } else if let post = staged.first(where: { $0.content == input.content && $0.name.lowercased() == name && $0.type == input.type }) {
            settings = (post.ttl ?? 1, post.proxied ?? false, post.comment)
        } else {
            return nil
        }
        return settings == (input.ttl ?? 1, input.proxied ?? false, input.comment)
            ? Refusal(code: 81058, message: "An identical record already exists.")
            : Refusal(code: 81057, message: "A record with the same settings already exists.")
    }

    private func add(_ input: FakeRecordInput, zone: FakeZone) -> FakeRecord {
        let record = FakeRecord(id: Self.identifier(nextRecord), zoneID: zone.id, name: input.name.lowercased(), type: input.type,
                                content: input.content, proxied: input.proxied ?? false, ttl: input.ttl ?? 1, comment: input.comment)
        nextRecord += 1
        records[record.id] = record
        return record
    }

    /// Why a create is refused: Cloudflare's code and message.
    struct Refusal {
        let code: Int
        let message: String
    }

    // MARK: - Envelopes

    private static func respond<Item: Encodable & Sendable>(_ items: [Item], page: Int, perPage: Int) -> HTTPServerReply {
        let totalPages = max(1, (items.count + perPage - 1) / perPage)
        let slice = Array(items.dropFirst((page - 1) * perPage).prefix(perPage))
        let info = CloudflareResultInfo(page: page, perPage: perPage, count: slice.count, totalCount: items.count, totalPages: totalPages)
        return reply(200, FakeEnvelope(success: true, errors: [], result: slice, resultInfo: info))
    }

    private static func failure(_ status: Int, _ code: Int, _ message: String) -> HTTPServerReply {
        .respond(response(status, FakeEnvelope<FakeIdentifier>(success: false, errors: [CloudflareMessage(code: code, message: message)])))
    }

    private static func response<Result: Encodable & Sendable>(_ status: Int, _ envelope: FakeEnvelope<Result>) -> HTTPServerResponse {
        let body = (try? JSONEncoder().encode(envelope)).map(Array.init) ?? Array("{}".utf8)
        return HTTPServerResponse(status: status, headers: [HTTPHeader("Content-Type", "application/json")], body: body)
    }

    private static func reply<Result: Encodable & Sendable>(_ status: Int, _ envelope: FakeEnvelope<Result>) -> HTTPServerReply {
        .respond(response(status, envelope))
    }

    /// A 32-hex identifier, like Cloudflare's.
    static func identifier(_ number: Int) -> String {
        let hex = String(number, radix: 16)
        return String(repeating: "0", count: max(0, 32 - hex.count)) + hex
    }

    /// The IP of a peer, without the port (`127.0.0.1`, `::1`).
    static func ip(of peer: SocketAddress) -> String {
        let text = peer.description
        let host = text[..<(text.lastIndex(of: ":") ?? text.endIndex)]
        return String(host.hasPrefix("[") ? host.dropFirst().dropLast() : host)
    }
}
