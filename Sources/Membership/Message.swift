import Wire

extension SWIM {
    /// A gossip record about one member, piggybacked on every message (SWIM §4.1).
    public struct Update: Hashable, Sendable {
        public var member: Member
        /// Who suspects the member (suspect only); distinct origins are Lifeguard's independent
        /// confirmations (Lifeguard §4.2).
        public var origin: String?

        public init(member: Member, origin: String? = nil) {
            self.member = member
            self.origin = member.status == .suspect ? origin : nil
        }
    }

    /// A membership datagram body (carried in an envelope of kind `.membership`).
    ///
    /// Every message names its sender and the sender's incarnation, which is direct evidence the
    /// sender is alive, and carries piggybacked gossip (SWIM §4.1) bounded by bytes so the encoded
    /// body never exceeds `Envelope.maximumBodyLength`.
    public struct Message: Hashable, Sendable {
        public enum Kind: UInt8, Sendable, CaseIterable {
            /// Direct probe (SWIM §3.1).
            case ping = 1
            /// Ask the receiver to probe `target` for the sender (SWIM §3.1 ping-req).
            case pingReq = 2
            /// Answer to a ping, or forwarded by a ping-req relay with `target` set.
            case ack = 3
            /// A ping-req relay's "no answer from `target` yet" (Lifeguard §4.1).
            case nack = 4
        }

        public var kind: Kind
        public var sender: MemberID
        public var incarnation: UInt64
        public var sequence: UInt64
        /// The probed member (ping-req, forwarded ack, nack).
        public var target: MemberID?
        public var gossip: [Update]

        public init(kind: Kind, sender: MemberID, incarnation: UInt64, sequence: UInt64,
                    target: MemberID? = nil, gossip: [Update] = []) {
            self.kind = kind
            self.sender = sender
            self.incarnation = incarnation
            self.sequence = sequence
            self.target = target
            self.gossip = gossip
        }

        static let nameLimit = 64
        static let addressLimit = 128
        static let gossipLimit = 64

        /// `kind | sender | incarnation | sequence | hasTarget [target] | count | updates`.
        public func encoded() -> [UInt8] {
            var writer = ByteWriter(capacity: 128)
            writer.write(kind.rawValue)
            Self.write(sender, to: &writer)
            writer.writeVarint(incarnation)
            writer.writeVarint(sequence)
            writer.write(target != nil)
            if let target { Self.write(target, to: &writer) }
            writer.writeVarint(UInt64(gossip.count))
            for update in gossip { Self.write(update, to: &writer) }
            return writer.bytes
        }

        /// Encoded size of one update, for the piggyback byte budget.
        static func size(of update: Update) -> Int {
            var writer = ByteWriter(capacity: 64)
            write(update, to: &writer)
            return writer.count
        }

        static func write(_ id: MemberID, to writer: inout ByteWriter) {
            writer.write(id.name)
            writer.write(id.address)
        }

        static func write(_ update: Update, to writer: inout ByteWriter) {
            write(update.member.id, to: &writer)
            writer.write(update.member.status.rawValue)
            writer.writeVarint(update.member.incarnation)
            if update.member.status == .suspect { writer.write(update.origin ?? "") }
        }

        /// Decodes untrusted bytes; never traps.
        public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> Message {
            guard bytes.count <= Envelope.maximumBodyLength else {
                throw .tooLong(field: "swim.body", length: bytes.count, limit: Envelope.maximumBodyLength)
            }
            var reader = ByteReader(bytes)
            guard let kind = Kind(rawValue: try reader.readUInt8("swim.kind")) else {
                throw .invalidValue(field: "swim.kind")
            }
            let sender = try readID(&reader)
            let incarnation = try reader.readVarint("swim.incarnation")
            let sequence = try reader.readVarint("swim.sequence")
            let target = try reader.readBool("swim.hasTarget") ? try readID(&reader) : nil
            let count = try reader.readVarint("swim.gossip", limit: gossipLimit)
            var gossip: [Update] = []
            for _ in 0..<count {
                let id = try readID(&reader)
                guard let status = MemberStatus(rawValue: try reader.readUInt8("swim.status")) else {
                    throw .invalidValue(field: "swim.status")
                }
                let memberIncarnation = try reader.readVarint("swim.memberIncarnation")
                let origin = status == .suspect ? try reader.readString("swim.origin", limit: nameLimit) : nil
                gossip.append(Update(member: Member(id: id, status: status, incarnation: memberIncarnation), origin: origin))
            }
            try reader.expectEnd()
            return Message(kind: kind, sender: sender, incarnation: incarnation, sequence: sequence,
                           target: target, gossip: gossip)
        }

        private static func readID(_ reader: inout ByteReader) throws(DecodeError) -> MemberID {
            let name = try reader.readString("swim.name", limit: nameLimit)
            guard !name.isEmpty else { throw .invalidValue(field: "swim.name") }
            return MemberID(name: name, address: try reader.readString("swim.address", limit: addressLimit))
        }
    }
}
