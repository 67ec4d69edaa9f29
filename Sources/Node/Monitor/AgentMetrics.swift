import Failover
import Membership
import Raft
import SansIO
import Wire

/// The agent's Prometheus families (`GET /metrics`) and how each is fed: counters as events
/// happen, gauges from one `AgentRuntime.Snapshot` taken at scrape time, so a scrape always
/// shows one consistent instant.
final class AgentMetrics: Sendable {
    let registry = MetricsRegistry()

    static let datagramsDropped = MetricsRegistry.Family(
        "vantage_datagrams_dropped_total", help: "Datagrams dropped before reaching a protocol, by reason.", kind: .counter)
    static let datagramsAccepted = MetricsRegistry.Family(
        "vantage_datagrams_accepted_total", help: "Datagrams that opened, came from a configured peer and were not replays.", kind: .counter)
    static let messagesMalformed = MetricsRegistry.Family(
        "vantage_messages_malformed_total", help: "Authenticated envelopes whose body did not decode, by kind.", kind: .counter)
    static let sendFailures = MetricsRegistry.Family(
        "vantage_datagram_send_failures_total", help: "Datagrams the kernel refused to send.", kind: .counter)
    static let checkRuns = MetricsRegistry.Family(
        "vantage_check_runs_total", help: "Health check runs, by check and result.", kind: .counter)
    static let checkRTT = MetricsRegistry.Family(
        "vantage_check_rtt_seconds", help: "Round-trip time of successful check runs.", kind: .histogram,
        buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1])
    static let dnsWrites = MetricsRegistry.Family(
        "vantage_dns_writes_total", help: "DNS writes by operation (create, delete, batch) and result (ok, dry_run, or the failure).",
        kind: .counter)
    static let dnsLists = MetricsRegistry.Family(
        "vantage_dns_lists_total", help: "DNS record listings by result.", kind: .counter)
    static let apiRetries = MetricsRegistry.Family(
        "vantage_dns_api_retries_total", help: "API requests sent again after a transient failure.", kind: .counter)
    static let apiLatency = MetricsRegistry.Family(
        "vantage_dns_api_latency_seconds", help: "Time from starting a DNS call to its answer, by operation.", kind: .histogram,
        buckets: [0.05, 0.1, 0.2, 0.4, 0.75, 1.5, 3])
    static let elections = MetricsRegistry.Family(
        "vantage_elections_total", help: "Campaigns this agent started.", kind: .counter)
    static let leaderChanges = MetricsRegistry.Family(
        "vantage_leader_changes_total", help: "Changes of the leader this agent knows.", kind: .counter)
    static let termWriteFailures = MetricsRegistry.Family(
        "vantage_term_write_failures_total", help: "Term-and-vote writes to the data directory that failed.", kind: .counter)
    static let alerts = MetricsRegistry.Family(
        "vantage_alerts_total", help: "Webhook alerts by outcome (delivered, failed, dropped).", kind: .counter)
    static let role = MetricsRegistry.Family(
        "vantage_role", help: "1 for this agent's election role.", kind: .gauge)
    static let term = MetricsRegistry.Family("vantage_term", help: "This agent's election term.", kind: .gauge)
    static let leaseRemaining = MetricsRegistry.Family(
        "vantage_lease_remaining_seconds", help: "Seconds left of this agent's leader lease (0 unless leading).", kind: .gauge)
    static let members = MetricsRegistry.Family(
        "vantage_members", help: "Members in this agent's view (itself included), by state.", kind: .gauge)
    static let endpointViews = MetricsRegistry.Family(
        "vantage_endpoints", help: "Endpoint addresses by this agent's own view.", kind: .gauge)
    static let endpointDecisions = MetricsRegistry.Family(
        "vantage_endpoint_decisions", help: "Endpoint addresses by the tally's decision.", kind: .gauge)
    static let dryRun = MetricsRegistry.Family(
        "vantage_dry_run", help: "1 while DNS changes are only logged, not made.", kind: .gauge)

    static let all = [datagramsAccepted, datagramsDropped, messagesMalformed, sendFailures, checkRuns, checkRTT, dnsWrites, dnsLists, apiRetries,
                      apiLatency, elections, leaderChanges, termWriteFailures, alerts, role, term, leaseRemaining, members,
                      endpointViews, endpointDecisions, dryRun]

    init() {
        for family in Self.all { registry.declare(family) }
    }

    func checkRan(_ check: String, _ result: CheckResult) {
        registry.increment(Self.checkRuns.name, labels: ["check": check, "result": result.success ? "success" : "failure"])
        if result.success, let rtt = result.rtt { registry.observe(Self.checkRTT.name, rtt.seconds, labels: ["check": check]) }
    }

    func dnsAnswered(_ request: DNSRequest, _ response: DNSResponse) {
        let result: String
        if case .failed(let failure) = response { result = Self.label(of: failure) } else { result = "ok" }
        if request.isWrite {
            registry.increment(Self.dnsWrites.name, labels: ["operation": Self.operation(of: request), "result": result])
        } else {
            registry.increment(Self.dnsLists.name, labels: ["result": result])
        }
    }

    func dryRunWrite(_ request: DNSRequest) {
        registry.increment(Self.dnsWrites.name, labels: ["operation": Self.operation(of: request), "result": "dry_run"])
    }

    func apiLatency(_ request: DNSRequest, _ duration: Duration) {
        registry.observe(Self.apiLatency.name, duration.seconds, labels: ["operation": Self.operation(of: request)])
    }

    func election(_ event: ElectionEvent) {
        switch event {
        case .campaignStarted: registry.increment(Self.elections.name)
        case .leaderChanged: registry.increment(Self.leaderChanges.name)
        case .persistFailed: registry.increment(Self.termWriteFailures.name)
        case .becameLeader, .steppedDown: break
        }
    }

    /// Gauges and mirrored totals as of `snapshot`.
    func refresh(_ snapshot: AgentRuntime.Snapshot, transport: ClusterTransport, apiRetries: Int,
                 alerts: (delivered: Int, failed: Int, dropped: Int)) {
        for (reason, count) in transport.dropCounts { registry.setTotal(Self.datagramsDropped.name, Double(count), labels: ["reason": reason]) }
        for kind in MessageKindLabel.all {
            registry.setTotal(Self.messagesMalformed.name, Double(snapshot.malformedMessages[kind.kind] ?? 0), labels: ["kind": kind.label])
        }
        registry.setTotal(Self.datagramsAccepted.name, Double(transport.acceptedCount))
        registry.setTotal(Self.sendFailures.name, Double(transport.sendFailures))
        registry.setTotal(Self.apiRetries.name, Double(apiRetries))
        for (outcome, count) in [("delivered", alerts.delivered), ("failed", alerts.failed), ("dropped", alerts.dropped)] {
            registry.setTotal(Self.alerts.name, Double(count), labels: ["outcome": outcome])
        }
        let leadership = snapshot.leadership
        for role in [Role.follower, .preCandidate, .candidate, .leader] {
            registry.set(Self.role.name, leadership.role == role ? 1 : 0, labels: ["role": role.rawValue])
        }
        registry.set(Self.term.name, Double(leadership.term))
        let lease = leadership.isLeaseValid ? (leadership.leaseExpiry.map { max(.zero, $0 - snapshot.now) } ?? .zero) : .zero
        registry.set(Self.leaseRemaining.name, lease.seconds)
        for status in MemberStatus.allCases {
            registry.set(Self.members.name, Double(snapshot.members.filter { $0.status == status }.count), labels: ["state": "\(status)"])
        }
        let views = snapshot.failover.views.all(now: snapshot.now)
        for state in [EndpointView.State.up, .down, .unknown] {
            registry.set(Self.endpointViews.name, Double(views.filter { $0.state == state }.count), labels: ["view": "\(state)"])
        }
        let verdicts = snapshot.failover.verdicts.values
        for verdict in [TallyDecision.Verdict.remove, .restore, .keep] {
            registry.set(Self.endpointDecisions.name, Double(verdicts.filter { $0 == verdict }.count), labels: ["decision": verdict.rawValue])
        }
        registry.set(Self.dryRun.name, snapshot.failover.settings.dryRun ? 1 : 0)
    }

    static func operation(of request: DNSRequest) -> String {
        switch request {
        case .list: "list"
        case .create: "create"
        case .delete: "delete"
        case .batch: "batch"
        }
    }

    static func label(of failure: DNSFailure) -> String {
        switch failure {
        case .timedOut: "timed_out"
        case .rateLimited: "rate_limited"
        case .unavailable: "unavailable"
        case .unauthorized: "unauthorized"
        case .rejected: "rejected"
        }
    }
}

/// Envelope kinds as metric labels.
struct MessageKindLabel {
    let kind: MessageKind
    let label: String
    static let all = [MessageKindLabel(kind: .membership, label: "membership"), MessageKindLabel(kind: .election, label: "election"),
                      MessageKindLabel(kind: .vote, label: "vote")]
}
