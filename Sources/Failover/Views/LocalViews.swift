import SansIO

/// This agent's own views: rise/fall hysteresis per configured check, combined per address by
/// ``CombinedState`` (the AWSnycast vocabulary: a view flips only after `fall` failures or `rise`
/// successes in a row).
public struct LocalViews: Sendable {
    /// One configured check on an address.
    public struct Check: Sendable, Hashable {
        /// Unique among the agent's checks (the config's check name).
        public var id: String
        public var address: String
        public var rise: Int
        public var fall: Int

        public init(id: String, address: String, rise: Int, fall: Int) {
            self.id = id
            self.address = address
            self.rise = rise
            self.fall = fall
        }
    }

    private struct CheckState: Sendable {
        let address: String
        var hysteresis: Hysteresis
        var successes = 0
        var failures = 0
        var lastRTT: Duration?
    }

    private struct AddressState: Sendable {
        var checks: [String]
        var state: Hysteresis.State = .unknown
        var since: Instant
    }

    private var checks: [String: CheckState] = [:]
    private var addresses: [String: AddressState] = [:]
    /// Every address with a check, sorted.
    public private(set) var allAddresses: [String]

    /// Views of `checks`, all unknown since `now`.
    public init(checks configured: [Check], now: Instant) {
        for check in configured {
            let address = check.address.lowercased()
            checks[check.id] = CheckState(address: address, hysteresis: Hysteresis(rise: check.rise, fall: check.fall))
            addresses[address, default: AddressState(checks: [], since: now)].checks.append(check.id)
        }
        allAddresses = addresses.keys.sorted()
    }

    /// The views after a configuration reload: a check kept with the same id, address, rise and
    /// fall keeps its streaks and state, so a reload never resets what the agent has seen; new
    /// checks start unknown. An address whose combined state changes gets `since = now`.
    /// Returns the views whose state changed (new addresses included), sorted by address.
    public mutating func reconfigure(checks configured: [Check], now: Instant) -> [EndpointView] {
        let previousChecks = checks, previousAddresses = addresses
        var next = LocalViews(checks: configured, now: now)
        for check in configured {
            guard let kept = previousChecks[check.id], kept.address == check.address.lowercased(),
                  kept.hysteresis.rise == check.rise, kept.hysteresis.fall == check.fall else { continue }
            next.checks[check.id] = kept
        }
        var changed: [String] = []
        for address in next.allAddresses {
            var state = next.addresses[address]!
            let combined = CombinedState.combine(state.checks.map { next.checks[$0]!.hysteresis.state })
            if let old = previousAddresses[address], old.state == combined {
                state.since = old.since
            } else if combined != .unknown || previousAddresses[address] != nil {
                changed.append(address)
            }
            state.state = combined
            next.addresses[address] = state
        }
        self = next
        return changed.compactMap { view(of: $0, now: now) }
    }

    /// Records one result of check `id`. Returns the address's new view when its combined state
    /// changed, else nil (unknown check ids are ignored).
    public mutating func record(check id: String, _ result: CheckResult, now: Instant) -> EndpointView? {
        guard var check = checks[id] else { return nil }
        _ = check.hysteresis.record(result, at: now)
        if result.success {
            check.successes += 1
            check.failures = 0
            check.lastRTT = result.rtt
        } else {
            check.failures += 1
            check.successes = 0
        }
        checks[id] = check
        guard var address = addresses[check.address] else { return nil }
        let combined = CombinedState.combine(address.checks.map { checks[$0]!.hysteresis.state })
        guard combined != address.state else { return nil }
        address.state = combined
        address.since = now
        addresses[check.address] = address
        return view(of: check.address, now: now)
    }

    /// The current view of `address`, nil when no check covers it.
    public func view(of address: String, now: Instant) -> EndpointView? {
        guard let state = addresses[address] else { return nil }
        let members = state.checks.map { checks[$0]! }
        return EndpointView(address: address, state: state.state, age: max(.zero, now - state.since),
                            successes: members.map(\.successes).min() ?? 0,
                            failures: members.map(\.failures).max() ?? 0,
                            lastRTT: members.compactMap(\.lastRTT).max())
    }

    /// Every address's current view, sorted by address.
    public func all(now: Instant) -> [EndpointView] {
        allAddresses.compactMap { view(of: $0, now: now) }
    }
}
