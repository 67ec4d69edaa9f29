import Cloudflare

/// A record as the fake stores and returns it.
public struct FakeRecord: Sendable, Codable, Hashable {
    public var id: String
    public var zoneID: String
    public var name: String
    public var type: String
    public var content: String
    public var proxied: Bool
    public var ttl: Int
    public var comment: String?
    var proxiable = true
    var createdOn = "2026-01-01T00:00:00Z"
    var modifiedOn = "2026-01-01T00:00:00Z"

    enum CodingKeys: String, CodingKey {
        case id, name, type, content, proxied, ttl, comment, proxiable
        case zoneID = "zone_id"
        case createdOn = "created_on"
        case modifiedOn = "modified_on"
    }
}

/// A zone as `GET /zones` returns it.
struct FakeZone: Sendable, Codable, Hashable {
    var id: String
    var name: String
    var status = "active"
}

/// The envelope every answer of the fake is wrapped in; `result` is written as null on failures.
struct FakeEnvelope<Result: Encodable & Sendable>: Encodable, Sendable {
    var success: Bool
    var errors: [CloudflareMessage]
    var messages: [CloudflareMessage] = []
    var result: Result?
    var resultInfo: CloudflareResultInfo?

    enum CodingKeys: String, CodingKey {
        case success, errors, messages, result
        case resultInfo = "result_info"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(success, forKey: .success)
        try container.encode(errors, forKey: .errors)
        try container.encode(messages, forKey: .messages)
        if let result { try container.encode(result, forKey: .result) } else { try container.encodeNil(forKey: .result) }
        try container.encodeIfPresent(resultInfo, forKey: .resultInfo)
    }
}

/// `{"id": …}`, the result of a delete.
struct FakeIdentifier: Sendable, Codable, Hashable { var id: String }

/// The result of a batch: what was deleted and what was created.
struct FakeBatchResult: Sendable, Codable, Hashable {
    var deletes: [FakeRecord]
    var posts: [FakeRecord]
}

/// A create as the fake reads it (validated against the description first, when it has one).
struct FakeRecordInput: Sendable, Codable, Hashable {
    var type: String
    var name: String
    var content: String
    var ttl: Int?
    var proxied: Bool?
    var comment: String?
}

/// A batch as the fake reads it.
struct FakeBatchInput: Sendable, Codable, Hashable {
    var deletes: [FakeIdentifier]?
    var posts: [FakeRecordInput]?
}
