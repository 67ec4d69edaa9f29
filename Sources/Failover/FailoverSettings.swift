import SansIO

/// Everything a ``FailoverInstance`` is configured with; the defaults are DESIGN.md's WAN defaults.
public struct FailoverSettings: Sendable {
    /// This agent's name (a voter).
    public var myself: String
    /// The configured voter set, this agent included (never the membership view).
    public var voters: [String]
    /// The checks this agent runs, by id, with their address and rise/fall.
    public var checks: [LocalViews.Check]
    /// Peers that must agree with an observer: `minPeersAgree + 1` agents in all.
    public var minPeersAgree: Int
    /// Anti-entropy: every view is re-sent this often, besides on every change.
    public var voteInterval: Duration
    /// How long a received view counts.
    public var voteTTL: Duration
    /// How often the leader lists and reconciles every name even without a change.
    public var reconcileInterval: Duration
    /// What the agent writes; nil: it observes and votes but never writes.
    public var dns: DNSTarget?
    /// Whether the provider applies a multi-change plan as one atomic batch.
    public var providerSupportsBatch: Bool
    public var fence: WriteFence
    /// First retry delay after a failed call; doubles per failure up to ``retryCap`` (full jitter).
    public var retryBase: Duration
    public var retryCap: Duration
    /// Plan and report every write, carry none out (the default of `vantage monitor`).
    public var dryRun: Bool
    /// Switches for the simulator's sensitivity tests; production uses the defaults.
    public var tallyRule: Tally.Rule
    public var emptyNamePolicy: DesiredRecords.EmptyNamePolicy

    public init(myself: String, voters: [String], checks: [LocalViews.Check], minPeersAgree: Int = 1,
                voteInterval: Duration = .seconds(5), voteTTL: Duration = .seconds(30),
                reconcileInterval: Duration = .seconds(30), dns: DNSTarget? = nil, providerSupportsBatch: Bool = true,
                fence: WriteFence = WriteFence(), retryBase: Duration = .milliseconds(500), retryCap: Duration = .seconds(30),
                dryRun: Bool = false, tallyRule: Tally.Rule = .agreeing,
                emptyNamePolicy: DesiredRecords.EmptyNamePolicy = .failOpen) {
        self.myself = myself
        self.voters = voters
        self.checks = checks
        self.minPeersAgree = minPeersAgree
        self.voteInterval = voteInterval
        self.voteTTL = voteTTL
        self.reconcileInterval = reconcileInterval
        self.dns = dns
        self.providerSupportsBatch = providerSupportsBatch
        self.fence = fence
        self.retryBase = retryBase
        self.retryCap = retryCap
        self.dryRun = dryRun
        self.tallyRule = tallyRule
        self.emptyNamePolicy = emptyNamePolicy
    }
}
