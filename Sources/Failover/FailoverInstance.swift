import Raft
import SansIO

/// One agent's failover decision path as a sans-IO value (DESIGN.md "Failover module"): check
/// results → views (rise/fall) → votes to every voter → the tally → desired DNS state (never an
/// empty name) → the reconcile planner → lease-fenced provider calls.
///
/// The shell calls ``onStart(now:bootEpoch:leadership:)`` once, then an `on…` method for each
/// input, and carries out the returned ``FailoverDirective``s in order: send a vote, make a DNS
/// call, arm a wake-up, report an event. Every input carries `now` and this node's current
/// `Leadership` (from its `Raft.Election`), and the shell calls
/// ``onLeadership(_:now:rng:)`` whenever that changes, so a new leader reconciles at once and a
/// fenced write starts as soon as a heartbeat round renews the lease.
///
/// Only the leader calls the provider, one call at a time. It lists every name when it takes
/// over and every `reconcileInterval`, and otherwise plans from the records it knows (updated by
/// each answer), so a decision turns into a write without waiting for a list. A call whose
/// outcome is unknown (timed out, failed) marks its name for a fresh list before the next write,
/// so a half-applied plan is finished by the next reconcile.
public struct FailoverInstance: Sendable {
    public private(set) var settings: FailoverSettings
    public private(set) var views: LocalViews
    public private(set) var tally: Tally
    /// The tally's last verdict per address (addresses with a check or in the pool).
    public private(set) var verdicts: [String: TallyDecision.Verdict] = [:]
    private let peers: [String]
    private var addresses: [String]
    private var addressSet: Set<String>
    private var bootEpoch: UInt64 = 0
    private var round: UInt64 = 0
    private var nextVoteAt: Instant?
    private var leading: LeaderState?
    private var nextCallID: UInt64 = 0
    /// No peer view expires before this instant. Receipts only move expiries later, so the hint
    /// stays a valid lower bound until it passes; only then is the tally scanned again.
    private var expiryHint: Instant?
    private var hasStarted = false

    /// The leader's DNS bookkeeping, for one term.
    public struct LeaderState: Sendable {
        public let term: UInt64
        /// The records of each name as last listed and since changed by this leader's answers.
        public internal(set) var records: [String: [DNSRecord]] = [:]
        /// Names to list before the next write.
        public internal(set) var stale: Set<String>
        public internal(set) var inFlight: DNSCall?
        var retryAt: Instant?
        var failures = 0
        var nextReconcileAt: Instant
        /// Set while the provider refuses the credentials for writes; a write is tried again
        /// (once) every reconcile interval, and only a write that succeeds ends the suspension,
        /// so a token that may read but not edit stays one suspension, not a flapping one.
        var suspendedReason: String?
        var nextWriteTryAt: Instant?
        var isFenced = false
        var allDownNames: Set<String> = []
    }

    /// The leader's bookkeeping while this node leads; nil otherwise.
    public var leaderState: LeaderState? { leading }

    public init(settings: FailoverSettings) {
        self.settings = settings
        peers = settings.voters.filter { $0 != settings.myself }.sorted()
        views = LocalViews(checks: settings.checks, now: .zero)
        tally = Tally(myself: settings.myself, voters: settings.voters, minPeersAgree: settings.minPeersAgree,
                      voteTTL: settings.voteTTL, rule: settings.tallyRule)
        addressSet = Set(views.allAddresses + (settings.dns?.pool ?? []))
        addresses = addressSet.sorted()
    }

    // MARK: - Inputs

    /// Starts: every view unknown since `now`; the first full vote round goes out at once.
    public mutating func onStart(now: Instant, bootEpoch: UInt64, leadership: Leadership) -> [FailoverDirective] {
        hasStarted = true
        self.bootEpoch = bootEpoch
        views = LocalViews(checks: settings.checks, now: now)
        for view in views.all(now: now) { tally.recordOwn(view, now: now) }
        var output: [FailoverDirective] = []
        sendAllViews(now: now, output: &output)
        var unused = SeededGenerator(seed: 0)
        advance(now: now, leadership: leadership, rng: &unused, output: &output)
        return output
    }

    /// One result of check `check` (a `LocalViews.Check.id`).
    public mutating func onCheckResult(
        _ result: CheckResult, check: String, now: Instant, leadership: Leadership, rng: inout some RandomNumberGenerator
    ) -> [FailoverDirective] {
        guard hasStarted else { return [] }
        var output: [FailoverDirective] = []
        let changed = views.record(check: check, result, now: now)
        if let changed {
            tally.recordOwn(changed, now: now)
            output.append(.event(.viewChanged(changed)))
            round += 1
            for peer in peers { output.append(.send(VoteMessage(bootEpoch: bootEpoch, round: round, views: [changed]), to: peer)) }
        }
        advance(now: now, leadership: leadership, touched: changed.map { [$0.address] } ?? [], rng: &rng, output: &output)
        return output
    }

    /// A vote message from `sender` (views of non-voters are ignored by the tally).
    public mutating func onVote(
        _ message: VoteMessage, from sender: String, now: Instant, leadership: Leadership,
        rng: inout some RandomNumberGenerator
    ) -> [FailoverDirective] {
        guard hasStarted else { return [] }
        var output: [FailoverDirective] = []
        tally.record(message, from: sender, now: now)
        advance(now: now, leadership: leadership, touched: message.views.map(\.address), rng: &rng, output: &output)
        return output
    }

    /// The instant of the last `wakeUp` directive was reached (earlier calls are harmless).
    public mutating func onWakeUp(now: Instant, leadership: Leadership, rng: inout some RandomNumberGenerator) -> [FailoverDirective] {
        guard hasStarted else { return [] }
        var output: [FailoverDirective] = []
        if let due = nextVoteAt, now >= due { sendAllViews(now: now, output: &output) }
        advance(now: now, leadership: leadership, rng: &rng, output: &output)
        return output
    }

    /// The operator reloaded the configuration: `updated` replaces the checks, the DNS target,
    /// the intervals, dry run and the retry settings. Identity and the vote rule are fixed for
    /// the process (`myself`, `voters`, `minPeersAgree`, `voteTTL`, the tally rule: changing who
    /// votes or how many must agree is a restart, so every agent counts by the same rule); the
    /// shell refuses a reload that changes them and these fields of `updated` are ignored.
    ///
    /// Checks kept unchanged keep their views (a reload never resets what the agent has seen);
    /// removed checks' addresses drop out of this agent's own votes; a leader lists every managed
    /// name again before its next write, so it plans the new target from the provider's truth.
    public mutating func onReconfigure(
        _ updated: FailoverSettings, now: Instant, leadership: Leadership, rng: inout some RandomNumberGenerator
    ) -> [FailoverDirective] {
        var next = updated
        next.myself = settings.myself
        next.voters = settings.voters
        next.minPeersAgree = settings.minPeersAgree
        next.voteTTL = settings.voteTTL
        next.tallyRule = settings.tallyRule
        settings = next
        guard hasStarted else {
            views = LocalViews(checks: next.checks, now: .zero)
            return []
        }
        let before = Set(views.allAddresses)
        let changed = views.reconfigure(checks: next.checks, now: now)
        for address in before.subtracting(views.allAddresses) { tally.forgetOwn(address) }
        for view in views.all(now: now) { tally.recordOwn(view, now: now) }
        addressSet = Set(views.allAddresses + (next.dns?.pool ?? []))
        addresses = addressSet.sorted()
        for address in verdicts.keys where !addressSet.contains(address) { verdicts[address] = nil }
        if var state = leading, let target = next.dns {
            state.records = state.records.filter { target.hostnames.contains($0.key) }
            state.stale = Set(target.hostnames)
            state.nextReconcileAt = min(state.nextReconcileAt, now + next.reconcileInterval)
            leading = state
        }
        var output: [FailoverDirective] = changed.map { .event(.viewChanged($0)) }
        sendAllViews(now: now, output: &output)
        advance(now: now, leadership: leadership, rng: &rng, output: &output)
        return output
    }

    /// This node's leadership changed (role, term, leader or lease).
    public mutating func onLeadership(_ leadership: Leadership, now: Instant, rng: inout some RandomNumberGenerator) -> [FailoverDirective] {
        guard hasStarted else { return [] }
        var output: [FailoverDirective] = []
        advance(now: now, leadership: leadership, rng: &rng, output: &output)
        return output
    }

    /// The answer to call `id`. Answers to calls of an earlier leadership are ignored.
    public mutating func onDNSResponse(
        _ response: DNSResponse, to id: UInt64, now: Instant, leadership: Leadership,
        rng: inout some RandomNumberGenerator
    ) -> [FailoverDirective] {
        guard hasStarted, var state = leading, let call = state.inFlight, call.id == id else { return [] }
        var output: [FailoverDirective] = [.event(.callFinished(call, response))]
        state.inFlight = nil
        let name = call.request.name
        switch response {
        case .failed(let failure):
            state.failures += 1
            state.stale.insert(name)
            if case .unauthorized(let reason) = failure {
                if state.suspendedReason == nil { output.append(.event(.writesSuspended(reason: reason))) }
                state.suspendedReason = reason
                state.nextWriteTryAt = now + settings.reconcileInterval
                state.retryAt = now + settings.reconcileInterval
            } else if !failure.isTransient {
                // Rejected: the same call would be refused again, so it waits for the next reconcile.
                state.retryAt = now + settings.reconcileInterval
            } else {
                var delay = backoff(failures: state.failures, rng: &rng)
                if case .rateLimited(let wait) = failure { delay = max(delay, wait) }
                state.retryAt = now + delay
            }
        default:
            // A list succeeding says nothing about writes: only a write, or finding nothing left to
            // write (below), ends a run of failures, so a write that keeps failing backs off further.
            if call.request.isWrite { state.failures = 0 }
            state.retryAt = nil
            if call.request.isWrite, state.suspendedReason != nil {
                state.suspendedReason = nil
                state.nextWriteTryAt = nil
                output.append(.event(.writesResumed))
            }
            Self.apply(response, of: call.request, to: &state)
        }
        leading = state
        advance(now: now, leadership: leadership, rng: &rng, output: &output)
        return output
    }

    // MARK: - Rules

    /// Re-evaluates the verdicts of `touched` addresses (all when nil: time passing can expire any
    /// view) and, while leading, starts the next provider call if one is due.
    private mutating func advance(
        now: Instant, leadership: Leadership, touched: [String]? = nil, rng: inout some RandomNumberGenerator,
        output: inout [FailoverDirective]
    ) {
        for address in touched ?? addresses where addressSet.contains(address) {
            let verdict = tally.verdict(for: address, now: now)
            if verdicts[address] != verdict {
                verdicts[address] = verdict
                output.append(.event(.decisionChanged(address: address, tally.decision(for: address, now: now))))
            }
        }
        startNextCall(now: now, leadership: leadership, output: &output)
        appendWakeUp(now: now, to: &output)
    }

    private mutating func startNextCall(now: Instant, leadership: Leadership, output: inout [FailoverDirective]) {
        guard let target = settings.dns, leadership.role == .leader, leadership.leader == settings.myself else {
            leading = nil
            return
        }
        if leading?.term != leadership.term {
            leading = LeaderState(term: leadership.term, stale: Set(target.hostnames),
                                  nextReconcileAt: now + settings.reconcileInterval)
        }
        guard var state = leading else { return }
        defer { leading = state }
        guard state.inFlight == nil, state.retryAt.map({ now >= $0 }) ?? true else { return }
        if now >= state.nextReconcileAt {
            state.stale = Set(target.hostnames)
            state.nextReconcileAt = now + settings.reconcileInterval
        }
        if let name = state.stale.min() {
            state.inFlight = makeCall(.list(name: name), permit: nil)
            output.append(.dns(state.inFlight!))
            return
        }
        guard state.suspendedReason == nil || state.nextWriteTryAt.map({ now >= $0 }) == true else { return }
        let comment = WritePermit.auditComment(term: state.term, node: settings.myself)
        for name in target.hostnames {
            // Dry run applies each write to its own copy of the records, so a name takes several
            // rounds; the bound covers creating and deleting every pool address, and a larger plan
            // (many duplicates) goes on at the next input.
            for _ in 0...(2 * target.pool.count + 2) {
                let current = state.records[name] ?? []
                let desired = DesiredRecords(name: name, target: target, decisions: verdicts, current: current,
                                             policy: settings.emptyNamePolicy)
                noteAllDown(desired, state: &state, output: &output)
                let plan = ReconcilePlan.planReconcile(name: name, current: current, desired: desired, target: target,
                                                       comment: comment)
                guard let request = plan.nextRequest(supportsBatch: settings.providerSupportsBatch) else { break }
                guard let permit = WritePermit(leadership, node: settings.myself, now: now) else { return }
                guard settings.fence.admits(permit, now: now) else {
                    if !state.isFenced { output.append(.event(.writeFenced(remainingLease: permit.remaining(at: now)))) }
                    state.isFenced = true
                    return
                }
                state.isFenced = false
                if settings.dryRun {
                    output.append(.event(.wouldWrite(request, term: state.term)))
                    Self.apply(Self.assumedResponse(to: request, id: nextCallID), of: request, to: &state)
                    nextCallID += 1
                    continue
                }
                state.inFlight = makeCall(request, permit: permit)
                output.append(.dns(state.inFlight!))
                return
            }
        }
        state.failures = 0
    }

    private func noteAllDown(_ desired: DesiredRecords, state: inout LeaderState, output: inout [FailoverDirective]) {
        if desired.isAllDown, state.allDownNames.insert(desired.name).inserted {
            output.append(.event(.allDown(name: desired.name, kept: desired.addresses.sorted())))
        } else if !desired.isAllDown, state.allDownNames.remove(desired.name) != nil {
            output.append(.event(.allDownCleared(name: desired.name)))
        }
    }

    private mutating func makeCall(_ request: DNSRequest, permit: WritePermit?) -> DNSCall {
        nextCallID += 1
        return DNSCall(id: nextCallID, request: request, permit: permit, deadline: settings.fence.requestDeadline)
    }

    /// Updates the known records with a successful answer.
    private static func apply(_ response: DNSResponse, of request: DNSRequest, to state: inout LeaderState) {
        let name = request.name
        switch (request, response) {
        case (.list, .listed(let records)):
            state.records[name] = records.filter { $0.name.lowercased() == name }
            state.stale.remove(name)
        case (.create, .created(let record)):
            state.records[name, default: []].append(record)
        case (.delete(let record), .deleted):
            state.records[name]?.removeAll { $0.id == record.id }
        case (.batch(_, let deletes), .batched(let created)):
            let gone = Set(deletes.map(\.id))
            state.records[name]?.removeAll { gone.contains($0.id) }
            state.records[name, default: []] += created
        default:
            // An answer that does not fit the call: trust nothing and list again.
            state.stale.insert(name)
        }
    }

    /// What a dry run assumes a write did.
    private static func assumedResponse(to request: DNSRequest, id: UInt64) -> DNSResponse {
        switch request {
        case .list: return .listed([])
        case .create(let spec): return .created(spec.record(id: "dry-run-\(id)"))
        case .delete: return .deleted
        case .batch(let creates, _):
            return .batched(created: creates.enumerated().map { $0.element.record(id: "dry-run-\(id)-\($0.offset)") })
        }
    }

    /// Exponential backoff with full jitter (a uniform draw up to `base × 2^(failures − 1)`, capped).
    private func backoff(failures: Int, rng: inout some RandomNumberGenerator) -> Duration {
        let exponent = min(max(failures - 1, 0), 20)
        let ceiling = min(settings.retryBase.nanoseconds << exponent, settings.retryCap.nanoseconds)
        return .nanoseconds(Int64.random(in: 0...max(ceiling, 1), using: &rng))
    }

    /// Sends every view to every peer (anti-entropy), split into bodies that fit one datagram.
    private mutating func sendAllViews(now: Instant, output: inout [FailoverDirective]) {
        nextVoteAt = now + settings.voteInterval
        let all = views.all(now: now)
        guard !all.isEmpty else { return }
        round += 1
        for message in VoteMessage.split(all, bootEpoch: bootEpoch, round: round) {
            for peer in peers { output.append(.send(message, to: peer)) }
        }
    }

    private mutating func appendWakeUp(now: Instant, to output: inout [FailoverDirective]) {
        var next = nextVoteAt
        func consider(_ instant: Instant?) {
            guard let instant, instant > now else { return }
            if next.map({ instant < $0 }) ?? true { next = instant }
        }
        if expiryHint.map({ $0 <= now }) ?? true { expiryHint = tally.nextExpiry(after: now) }
        consider(expiryHint)
        if let state = leading {
            consider(state.retryAt)
            consider(state.nextReconcileAt)
        }
        if let next { output.append(.wakeUp(at: next)) }
    }
}
