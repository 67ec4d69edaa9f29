import Failover
import Foundation
import Membership
import SansIO

/// What `GET /status` answers and `vantage status` prints: this agent's election state and
/// lease, the members it sees, every endpoint with its own view, each voter's view and age, the
/// tally's decision and whether the address is in DNS, and the DNS work pending and done.
/// Read-only, and free of secrets: nothing here comes from a key, a token or the webhook URL.
struct StatusReport: Codable, Sendable, Equatable {
    struct MemberRow: Codable, Sendable, Equatable {
        var name: String
        var address: String
        var state: String
        var incarnation: UInt64
    }

    struct ViewRow: Codable, Sendable, Equatable {
        var state: String
        /// Seconds since the view last changed.
        var ageSeconds: Double
        var successes: Int
        var failures: Int
        var rttSeconds: Double?
    }

    struct VoteRow: Codable, Sendable, Equatable {
        var voter: String
        var state: String
        /// Seconds since this agent received the view (0 for its own).
        var ageSeconds: Double
        /// Whether it counts in the tally (received within vote_ttl).
        var fresh: Bool
    }

    struct EndpointRow: Codable, Sendable, Equatable {
        var address: String
        /// This agent's own view; nil when it has no check on the address.
        var view: ViewRow?
        var votes: [VoteRow]
        /// `remove`, `restore` or `keep`.
        var decision: String
        /// The managed names the address is in now (in DNS), as the leader last learned from the
        /// provider; nil on a follower or before the leader's first list.
        var dnsNames: [String]?
    }

    struct DNSRow: Codable, Sendable, Equatable {
        var hostnames: [String]
        var pool: [String]
        /// The provider call in flight (leader only).
        var pending: String?
        /// Names the leader lists before its next write.
        var toList: [String]
        var recentChanges: [AgentEvents.Change]
    }

    var node: String
    var cluster: String
    var time: Date
    var dryRun: Bool
    var role: String
    var term: UInt64
    var leader: String?
    /// Seconds of lease left while this agent leads with a valid lease.
    var leaseRemainingSeconds: Double?
    var members: [MemberRow]
    var endpoints: [EndpointRow]
    var dns: DNSRow?
    /// Datagrams dropped before reaching a protocol, by reason.
    var datagramsDropped: [String: Int]

    /// The JSON coders of the status endpoint: snake_case keys, ISO 8601 times, sorted keys.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

extension StatusReport {
    /// The report of `snapshot`.
    init(_ snapshot: AgentRuntime.Snapshot, cluster: String, changes: [AgentEvents.Change], drops: [String: Int]) {
        let now = snapshot.now, failover = snapshot.failover, leadership = snapshot.leadership
        node = snapshot.node
        self.cluster = cluster
        time = Date()
        dryRun = failover.settings.dryRun
        role = leadership.role.rawValue
        term = leadership.term
        leader = leadership.leader
        leaseRemainingSeconds = leadership.isLeaseValid ? leadership.leaseExpiry.map { max(.zero, $0 - now).seconds } : nil
        members = snapshot.members.map {
            MemberRow(name: $0.id.name, address: $0.id.address, state: "\($0.status)", incarnation: $0.incarnation)
        }
        let leading = failover.leaderState
        let addresses = Set(failover.views.allAddresses + (failover.settings.dns?.pool ?? [])).sorted()
        endpoints = addresses.map { address in
            let view = failover.views.view(of: address, now: now).map {
                ViewRow(state: "\($0.state)", ageSeconds: $0.age.seconds, successes: $0.successes, failures: $0.failures,
                        rttSeconds: $0.lastRTT?.seconds)
            }
            let votes = failover.tally.views(of: address).sorted { $0.key < $1.key }.map { voter, received in
                VoteRow(voter: voter, state: "\(received.state)", ageSeconds: max(.zero, now - received.receivedAt).seconds,
                        fresh: failover.tally.isFresh(received, of: voter, now: now))
            }
            let dnsNames = leading.flatMap { state -> [String]? in
                guard !state.records.isEmpty else { return nil }
                return state.records.filter { $0.value.contains { $0.content.lowercased() == address } }.keys.sorted()
            }
            return EndpointRow(address: address, view: view, votes: votes,
                               decision: (failover.verdicts[address] ?? .keep).rawValue, dnsNames: dnsNames)
        }
        dns = failover.settings.dns.map { target in
            DNSRow(hostnames: target.hostnames, pool: target.pool, pending: leading?.inFlight.map { "\($0.request)" },
                   toList: leading.map { $0.stale.sorted() } ?? [], recentChanges: changes)
        }
        datagramsDropped = drops
    }
}
