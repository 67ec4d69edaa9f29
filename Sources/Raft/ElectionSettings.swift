/// Timing of the Raft-lite election: election timeouts, heartbeats, the clock-drift bound and the
/// leader lease derived from them.
///
/// ## Why the lease is `electionTimeoutMin × (1 − maxClockDrift) − leaseMargin`
///
/// Write `E` for `electionTimeoutMin`, `d` for `maxClockDrift` and `L` for `lease`. Every clock runs
/// at a rate within `[1 − d, 1 + d]` of true time. Let the leader send heartbeat round `r` at true
/// time `Tₛ` and let a majority `M` (the leader included) acknowledge it.
///
/// * **The old lease ends early enough.** The leader holds its lease while its own clock reads less
///   than `send(r) + L`. A slow leader clock (rate `1 − d`) needs at most `L / (1 − d)` of true
///   time to advance by `L`, so the lease is over by true time `Tₛ + L / (1 − d)`.
/// * **A successor starts late enough.** Any new leader needs votes from a majority `M'`, and `M'`
///   shares at least one voter `F` with `M`. `F` received round `r` at true time `≥ Tₛ` and refuses
///   (pre)votes until its own clock has advanced by `E` from that receipt (Raft thesis §6.4.1, §9.6;
///   `F` cannot have voted in a higher term earlier, or it would have rejected round `r`). A fast
///   clock (rate `1 + d`) advances by `E` in no less than `E / (1 + d)` of true time, so the
///   successor is elected, and sends the heartbeat its own lease counts from, no earlier than
///   `Tₛ + E / (1 + d)`.
///
/// The two lease intervals are therefore disjoint whenever `L / (1 − d) ≤ E / (1 + d)`, that is
/// `L ≤ E (1 − d) / (1 + d)`. With `L = E (1 − d) − margin` this is
/// `margin ≥ E (1 − d) · d / (1 + d)` (``minimumSafeLeaseMargin``). For the defaults
/// (`E` = 1.5 s, `d` = 0.05) the bound is 67.9 ms; the default margin of 100 ms leaves 32 ms of
/// slack, and the lease is 1.325 s (4.4 heartbeat intervals). ``validate()`` rejects settings that
/// break the inequality or leave the lease no longer than one heartbeat interval.
///
/// CheckQuorum (thesis §6.2) uses the same bound: a leader steps down as soon as its lease has
/// expired, so by the same argument it has stopped acting as leader before any successor can be
/// elected. Counting CheckQuorum with `E` instead (as etcd does) would let a slow-clocked leader
/// keep the role for up to `E / (1 − d)` of true time, overlapping its successor.
public struct ElectionSettings: Equatable, Sendable {
    /// Lower bound of the randomized election timeout, and the time a follower refuses (pre)votes
    /// after hearing from a leader (thesis §3.4, §6.4.1).
    public var electionTimeoutMin: Duration
    /// Upper bound of the randomized election timeout (thesis §3.4).
    public var electionTimeoutMax: Duration
    /// How often the leader sends a heartbeat round.
    public var heartbeatInterval: Duration
    /// Every node's clock runs at a rate within `[1 − maxClockDrift, 1 + maxClockDrift]` of true time.
    public var maxClockDrift: Double
    /// Subtracted from `electionTimeoutMin × (1 − maxClockDrift)` to form the lease; see the type's
    /// documentation for the lower bound that makes the lease safe.
    public var leaseMargin: Duration
    /// Ask for pre-votes (without raising the term) before campaigning (thesis §9.6).
    public var preVoteEnabled: Bool
    /// Step down as leader once no majority has acknowledged a heartbeat within the lease (thesis §6.2).
    public var checkQuorumEnabled: Bool

    public init(
        electionTimeoutMin: Duration = .milliseconds(1500),
        electionTimeoutMax: Duration = .seconds(3),
        heartbeatInterval: Duration = .milliseconds(300),
        maxClockDrift: Double = 0.05,
        leaseMargin: Duration = .milliseconds(100),
        preVoteEnabled: Bool = true,
        checkQuorumEnabled: Bool = true
    ) {
        self.electionTimeoutMin = electionTimeoutMin
        self.electionTimeoutMax = electionTimeoutMax
        self.heartbeatInterval = heartbeatInterval
        self.maxClockDrift = maxClockDrift
        self.leaseMargin = leaseMargin
        self.preVoteEnabled = preVoteEnabled
        self.checkQuorumEnabled = checkQuorumEnabled
    }

    /// How long, on the leader's own clock, a heartbeat round acknowledged by a majority keeps the
    /// leader entitled to act: `electionTimeoutMin × (1 − maxClockDrift) − leaseMargin`, counted from
    /// the round's send time.
    public var lease: Duration {
        electionTimeoutMin.scaled(by: 1 - maxClockDrift) - leaseMargin
    }

    /// The smallest margin for which leases cannot overlap: `E (1 − d) · d / (1 + d)`, rounded up
    /// to the next nanosecond.
    public var minimumSafeLeaseMargin: Duration {
        let drift = maxClockDrift
        let bound = Double(electionTimeoutMin.nanoseconds) * (1 - drift) * drift / (1 + drift)
        return .nanoseconds(Int64(bound.rounded(.up)))
    }

    /// Everything that makes these settings unusable or the lease unsafe; empty when they are fine.
    public func validate() -> [ElectionSettingsProblem] {
        var problems: [ElectionSettingsProblem] = []
        if heartbeatInterval <= .zero { problems.append(.heartbeatIntervalNotPositive) }
        if electionTimeoutMin <= .zero || electionTimeoutMax < electionTimeoutMin {
            problems.append(.electionTimeoutRangeInvalid(min: electionTimeoutMin, max: electionTimeoutMax))
        }
        guard maxClockDrift >= 0, maxClockDrift < 1 else {
            problems.append(.clockDriftOutOfRange(maxClockDrift))
            return problems
        }
        if leaseMargin < minimumSafeLeaseMargin {
            problems.append(.leaseMarginTooSmall(margin: leaseMargin, required: minimumSafeLeaseMargin))
        }
        if lease <= heartbeatInterval {
            problems.append(.leaseNotLongerThanHeartbeat(lease: lease, heartbeat: heartbeatInterval))
        }
        return problems
    }
}

/// One reason ``ElectionSettings/validate()`` rejects a configuration.
public enum ElectionSettingsProblem: Equatable, Sendable, CustomStringConvertible {
    case heartbeatIntervalNotPositive
    case electionTimeoutRangeInvalid(min: Duration, max: Duration)
    case clockDriftOutOfRange(Double)
    /// The margin is below `E (1 − d) · d / (1 + d)`: two leases could overlap in true time.
    case leaseMarginTooSmall(margin: Duration, required: Duration)
    /// A lease that does not outlast one heartbeat interval would lapse between rounds.
    case leaseNotLongerThanHeartbeat(lease: Duration, heartbeat: Duration)

    public var description: String {
        switch self {
        case .heartbeatIntervalNotPositive:
            "heartbeat interval must be positive"
        case .electionTimeoutRangeInvalid(let min, let max):
            "election timeout range \(min)...\(max) is empty or not positive"
        case .clockDriftOutOfRange(let drift):
            "max clock drift \(drift) must be in 0 ..< 1"
        case .leaseMarginTooSmall(let margin, let required):
            "lease margin \(margin) is below \(required); leader leases could overlap under the drift bound"
        case .leaseNotLongerThanHeartbeat(let lease, let heartbeat):
            "lease \(lease) must be longer than the heartbeat interval \(heartbeat)"
        }
    }
}
