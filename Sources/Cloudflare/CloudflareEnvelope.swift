/// One entry of an envelope's `errors` or `messages`.
public struct CloudflareMessage: Sendable, Hashable, Codable, CustomStringConvertible {
    public var code: Int
    public var message: String

    public init(code: Int, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code) \(message)" }
}

/// Pagination of a list answer. `total_pages` is sometimes absent.
public struct CloudflareResultInfo: Sendable, Hashable, Codable {
    public var page: Int?
    public var perPage: Int?
    public var count: Int?
    public var totalCount: Int?
    public var totalPages: Int?

    public init(page: Int?, perPage: Int?, count: Int?, totalCount: Int?, totalPages: Int?) {
        self.page = page
        self.perPage = perPage
        self.count = count
        self.totalCount = totalCount
        self.totalPages = totalPages
    }

    enum CodingKeys: String, CodingKey {
        case page, count
        case perPage = "per_page"
        case totalCount = "total_count"
        case totalPages = "total_pages"
    }
}

/// Every Cloudflare v4 answer: `success`, `errors`, `messages`, `result`, and for lists `result_info`.
public struct CloudflareEnvelope<Result: Decodable & Sendable>: Sendable, Decodable {
    public var success: Bool
    public var errors: [CloudflareMessage]
    public var messages: [CloudflareMessage]?
    public var result: Result?
    public var resultInfo: CloudflareResultInfo?

    enum CodingKeys: String, CodingKey {
        case success, errors, messages, result
        case resultInfo = "result_info"
    }
}

/// A DNS record as the API writes it; any record type (the client keeps A and AAAA).
struct CloudflareRecord: Sendable, Codable, Hashable {
    var id: String
    var name: String
    var type: String
    var content: String
    var proxied: Bool?
    var ttl: Int?
    var comment: String?
}

/// A zone from `GET /zones`.
struct CloudflareZone: Sendable, Codable, Hashable {
    var id: String
    var name: String
}

/// The result of `POST …/dns_records/batch`.
struct CloudflareBatchResult: Sendable, Codable, Hashable {
    var deletes: [CloudflareRecord]?
    var posts: [CloudflareRecord]?
}

/// A record's fields as sent on create (type, name, content and ttl always).
struct CloudflareRecordBody: Sendable, Codable, Hashable {
    var type: String
    var name: String
    var content: String
    var ttl: Int
    var proxied: Bool
    var comment: String?
}

/// `{"deletes":[{"id":…}],"posts":[…]}`.
struct CloudflareBatchBody: Sendable, Codable, Hashable {
    struct Deletion: Sendable, Codable, Hashable { var id: String }
    var deletes: [Deletion]
    var posts: [CloudflareRecordBody]
}
