import Wire

/// The election protocol's messages (carried in an envelope of kind `.election`).
///
/// Every message carries the sender's term; a receiver with a higher term answers so the sender
/// learns it, and a receiver with a lower term adopts it (thesis §3.3).
public enum ElectionMessage: Equatable, Sendable {
    /// "Would you vote for me in `term`?" sent with the sender's term + 1, without raising it
    /// (thesis §9.6).
    case preVoteRequest(term: UInt64)
    /// A granted pre-vote echoes the requested term; a refusal carries the responder's current term.
    case preVoteResponse(term: UInt64, granted: Bool)
    /// RequestVote (thesis §3.4). `isTransfer` marks a campaign started by `timeoutNow`, which
    /// voters grant even while they still hear from a leader, because that leader has given up its
    /// lease before asking (thesis §3.10; etcd's `campaignTransfer`).
    case voteRequest(term: UInt64, isTransfer: Bool)
    case voteResponse(term: UInt64, granted: Bool)
    /// The leader's heartbeat; `round` identifies the send so an acknowledgement maps back to the
    /// instant it was sent, which is what the lease counts from.
    case heartbeat(term: UInt64, round: UInt64)
    /// Answer to `heartbeat`. `accepted` is false when the responder's (returned) term is higher.
    case heartbeatAck(term: UInt64, round: UInt64, accepted: Bool)
    /// "Campaign now": sent by a leader that has already given up its lease (thesis §3.10).
    case timeoutNow(term: UInt64)

    private enum Tag: UInt8 {
        case preVoteRequest = 1, preVoteResponse, voteRequest, voteResponse, heartbeat, heartbeatAck, timeoutNow
    }

    /// The term the message carries.
    public var term: UInt64 {
        switch self {
        case .preVoteRequest(let term), .preVoteResponse(let term, _), .voteRequest(let term, _),
            .voteResponse(let term, _), .heartbeat(let term, _), .heartbeatAck(let term, _, _),
            .timeoutNow(let term):
            term
        }
    }

    /// The message as `tag | term varint | fields`; at most 22 bytes.
    public func encoded() -> [UInt8] {
        var writer = ByteWriter(capacity: 24)
        switch self {
        case .preVoteRequest(let term):
            writer.write(Tag.preVoteRequest.rawValue)
            writer.writeVarint(term)
        case .preVoteResponse(let term, let granted):
            writer.write(Tag.preVoteResponse.rawValue)
            writer.writeVarint(term)
            writer.write(granted)
        case .voteRequest(let term, let isTransfer):
            writer.write(Tag.voteRequest.rawValue)
            writer.writeVarint(term)
            writer.write(isTransfer)
        case .voteResponse(let term, let granted):
            writer.write(Tag.voteResponse.rawValue)
            writer.writeVarint(term)
            writer.write(granted)
        case .heartbeat(let term, let round):
            writer.write(Tag.heartbeat.rawValue)
            writer.writeVarint(term)
            writer.writeVarint(round)
        case .heartbeatAck(let term, let round, let accepted):
            writer.write(Tag.heartbeatAck.rawValue)
            writer.writeVarint(term)
            writer.writeVarint(round)
            writer.write(accepted)
        case .timeoutNow(let term):
            writer.write(Tag.timeoutNow.rawValue)
            writer.writeVarint(term)
        }
        return writer.bytes
    }

    /// Decodes untrusted bytes; throws on an unknown tag, a truncated or non-canonical field, or
    /// trailing bytes.
    public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> ElectionMessage {
        var reader = ByteReader(bytes)
        guard let tag = Tag(rawValue: try reader.readUInt8("election.tag")) else {
            throw .invalidValue(field: "election.tag")
        }
        let term = try reader.readVarint("election.term")
        let message: ElectionMessage
        switch tag {
        case .preVoteRequest:
            message = .preVoteRequest(term: term)
        case .preVoteResponse:
            message = .preVoteResponse(term: term, granted: try reader.readBool("election.granted"))
        case .voteRequest:
            message = .voteRequest(term: term, isTransfer: try reader.readBool("election.isTransfer"))
        case .voteResponse:
            message = .voteResponse(term: term, granted: try reader.readBool("election.granted"))
        case .heartbeat:
            message = .heartbeat(term: term, round: try reader.readVarint("election.round"))
        case .heartbeatAck:
            let round = try reader.readVarint("election.round")
            message = .heartbeatAck(term: term, round: round, accepted: try reader.readBool("election.accepted"))
        case .timeoutNow:
            message = .timeoutNow(term: term)
        }
        try reader.expectEnd()
        return message
    }
}
