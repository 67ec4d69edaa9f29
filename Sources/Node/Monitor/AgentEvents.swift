import Failover
import Foundation
import IO
import Membership
import Raft
import SansIO
import Synchronization

/// Turns what the cores report (`AgentRuntime.Event`) into the operator's view of it: one log
/// line per event, counters, webhook alerts, and the list of recent DNS changes `/status` shows.
///
/// Every DNS change is logged with its reason: the tally's decision for each address it touches
/// (which agents saw it down or up, how long ago the decision was made), the term and node of
/// the permit it was written under, and the exact provider call — or, in a dry run, "would …".
final class AgentEvents: Sendable {
    /// One DNS change the leader made, tried, or (dry run) would have made.
    struct Change: Sendable, Codable, Equatable {
        var time: Date
        var node: String
        var term: UInt64
        /// The provider call, e.g. `delete www.example.com A 192.0.2.1 (id 0a1b)`.
        var call: String
        /// `ok`, `dry_run`, or the failure.
        var result: String
        var reason: String
    }

    private struct Decision {
        var decision: TallyDecision
        var at: Instant
    }

    private struct State {
        var decisions: [String: Decision] = [:]
        var changes: [Change] = []
    }

    /// How many recent changes `/status` keeps.
    static let changesKept = 20

    private let node: String
    private let logger: Logger
    private let metrics: AgentMetrics
    private let alert: @Sendable (String) -> Void
    private let clock = MonotonicClock()
    private let state = Mutex(State())

    init(node: String, logger: Logger, metrics: AgentMetrics, alert: @escaping @Sendable (String) -> Void) {
        self.node = node
        self.logger = logger
        self.metrics = metrics
        self.alert = alert
    }

    /// The latest DNS changes, oldest first.
    var recentChanges: [Change] { state.withLock { $0.changes } }

    func handle(_ event: AgentRuntime.Event) {
        switch event {
        case .membership(.statusChanged(let member, let previous)):
            let was = previous.map { " (was \($0))" } ?? ""
            logger.log(member.status == .alive ? .info : .warning, "member.\(member.status)",
                       "\(member.id.name) is \(member.status)\(was)",
                       [("member", member.id.name), ("address", member.id.address), ("incarnation", "\(member.incarnation)")])
        case .election(let event):
            metrics.election(event)
            election(event)
        case .failover(let event):
            failover(event)
        }
    }

    private func election(_ event: ElectionEvent) {
        switch event {
        case .campaignStarted(let term, let isTransfer):
            logger.log(.info, "election.campaign", isTransfer ? "campaigning in term \(term) (leadership handed over)" : "campaigning in term \(term)",
                       [("term", "\(term)")])
        case .becameLeader(let term):
            logger.log(.info, "leader.elected", "\(node) leads term \(term)", [("term", "\(term)")])
            alert("vantage: \(node) is now the leader (term \(term))")
        case .steppedDown(let term, let reason):
            let why: String
            switch reason {
            case .lostQuorum: why = "lost contact with a majority"
            case .higherTerm(let higher): why = "saw term \(higher)"
            case .transferredLeadership(let target): why = "handed leadership to \(target ?? "nobody (no follower had acknowledged)")"
            }
            logger.log(reason == .lostQuorum ? .warning : .info, "leader.stepped_down", "stopped leading term \(term): \(why)",
                       [("term", "\(term)")])
        case .leaderChanged(let leader, let term):
            logger.log(.info, "leader.changed", leader.map { "the leader is \($0) (term \(term))" } ?? "no known leader (term \(term))",
                       [("leader", leader ?? "none"), ("term", "\(term)")])
        case .persistFailed(let attempted, let error):
            logger.log(.error, "election.persist_failed", "could not save term \(attempted.currentTerm) to the data directory: \(error)",
                       [("term", "\(attempted.currentTerm)")])
        }
    }

    private func failover(_ event: FailoverEvent) {
        switch event {
        case .viewChanged(let view):
            logger.log(view.state == .down ? .warning : .info, "endpoint.\(view.state)", "\(view.address) is \(view.state) from \(node)",
                       [("address", view.address), ("successes", "\(view.successes)"), ("failures", "\(view.failures)")])
        case .decisionChanged(let address, let decision):
            state.withLock { $0.decisions[address] = Decision(decision: decision, at: clock.now()) }
            logger.log(.info, "endpoint.decision", "\(address): \(decision.verdict.rawValue)",
                       [("address", address), ("down", decision.down.joined(separator: ",")), ("up", decision.up.joined(separator: ","))])
        case .wouldWrite(let request, let term):
            metrics.dryRunWrite(request)
            let reason = self.reason(for: request)
            record(Change(time: Date(), node: node, term: term, call: "\(request)", result: "dry_run", reason: reason))
            logger.log(.info, "dns.dry_run", "dry run: would \(request)", [("term", "\(term)"), ("node", node), ("reason", reason)])
        case .callFinished(let call, let response):
            metrics.dnsAnswered(call.request, response)
            finished(call, response)
        case .writeFenced(let remaining):
            logger.log(.warning, "dns.fenced", "a write waits: \(remaining.seconds)s of lease left is less than the call's deadline plus margin")
        case .allDown(let name, let kept):
            logger.log(.error, "dns.all_down", "every address of \(name) looks down; keeping its records (fail open)",
                       [("name", name), ("kept", kept.joined(separator: ","))])
            alert("vantage: every address of \(name) looks down; its records are kept (\(kept.joined(separator: ", ")))")
        case .allDownCleared(let name):
            logger.log(.info, "dns.all_down_cleared", "an address of \(name) is up again", [("name", name)])
        case .writesSuspended(let reason):
            logger.log(.error, "dns.suspended", "the DNS provider refused the credentials; writes stop until one succeeds: \(reason)")
            alert("vantage: the DNS provider refused \(node)'s credentials; DNS writes are suspended (\(reason))")
        case .writesResumed:
            logger.log(.info, "dns.resumed", "the DNS provider accepts writes again")
        }
    }

    private func finished(_ call: DNSCall, _ response: DNSResponse) {
        guard call.request.isWrite else {
            if case .failed(let failure) = response {
                logger.log(.warning, "dns.list_failed", "listing \(call.request.name) failed: \(failure)", [("name", call.request.name)])
            } else {
                logger.log(.debug, "dns.listed", "listed \(call.request.name)", [("name", call.request.name)])
            }
            return
        }
        let term = call.permit?.term ?? 0
        let reason = reason(for: call.request)
        let fields = [("term", "\(term)"), ("node", node), ("reason", reason)]
        switch response {
        case .failed(let failure):
            record(Change(time: Date(), node: node, term: term, call: "\(call.request)", result: "\(failure)", reason: reason))
            logger.log(.warning, "dns.failed", "\(call.request) failed: \(failure)", fields)
        default:
            record(Change(time: Date(), node: node, term: term, call: "\(call.request)", result: "ok", reason: reason))
            logger.log(.info, "dns.\(AgentMetrics.operation(of: call.request))", "\(call.request)", fields)
            alert("vantage: \(node) changed DNS: \(call.request) (\(reason))")
        }
    }

    /// Why `request` is made: the tally's decision for every address it touches.
    private func reason(for request: DNSRequest) -> String {
        let addresses: [String]
        switch request {
        case .list: return ""
        case .create(let spec): addresses = [spec.content]
        case .delete(let record): addresses = [record.content]
        case .batch(let creates, let deletes): addresses = creates.map(\.content) + deletes.map(\.content)
        }
        let now = clock.now()
        let decisions = state.withLock { $0.decisions }
        return addresses.map { address in
            guard let known = decisions[address.lowercased()] else { return "\(address): no decision (duplicate or unmanaged record)" }
            let ago = String(format: "%.1f", (now - known.at).seconds)
            return "\(address): \(known.decision.verdict.rawValue), down at [\(known.decision.down.joined(separator: ","))],"
                + " up at [\(known.decision.up.joined(separator: ","))], decided \(ago)s ago"
        }.joined(separator: "; ")
    }

    private func record(_ change: Change) {
        state.withLock { state in
            state.changes.append(change)
            if state.changes.count > Self.changesKept { state.changes.removeFirst(state.changes.count - Self.changesKept) }
        }
    }
}
