import SansIO

/// The count of agents' views per address (DESIGN.md "Observations and votes", invariant 3).
///
/// Per address it keeps the latest view of each configured voter. A view counts while it was
/// *received* within `voteTTL` by this node's own clock (instants of other nodes are never
/// compared); this node's own view always counts. Views from non-voters are ignored. An address
/// is removed when at least `minPeersAgree + 1` distinct agents' fresh views say down, restored
/// when at least that many say up and fewer say down, and otherwise kept as the provider has it:
/// nothing is added before a quorum has seen it up, and nothing is removed on a stale or missing
/// view. `minPeersAgree` counts agreeing agents; it is not goavail's net sum of up minus down.
public struct Tally: Sendable {
    /// How views are counted; ``agreeing`` is the rule, ``netSum`` exists only so the simulator
    /// can show that goavail's rule breaks invariant 3.
    public enum Rule: Sendable {
        case agreeing
        /// goavail: remove when `down − up ≥ minPeersAgree`, restore when `up − down ≥ minPeersAgree`.
        case netSum
    }

    public struct ReceivedView: Sendable, Hashable {
        public var state: EndpointView.State
        /// When the state began, on this node's clock (receipt minus the view's age).
        public var since: Instant
        /// When this node received the view.
        public var receivedAt: Instant
        var order: Order
    }

    struct Order: Sendable, Hashable, Comparable {
        var bootEpoch: UInt64
        var round: UInt64
        static func < (a: Order, b: Order) -> Bool { (a.bootEpoch, a.round) < (b.bootEpoch, b.round) }
    }

    public let myself: String
    public let voters: Set<String>
    /// `minPeersAgree + 1`: the observer plus `minPeersAgree` peers.
    public let threshold: Int
    public let voteTTL: Duration
    public let rule: Rule
    private var views: [String: [String: ReceivedView]] = [:]

    public init(myself: String, voters: some Sequence<String>, minPeersAgree: Int, voteTTL: Duration,
                rule: Rule = .agreeing) {
        self.myself = myself
        self.voters = Set(voters)
        threshold = minPeersAgree + 1
        self.voteTTL = voteTTL
        self.rule = rule
    }

    /// Records a vote message from `voter`; returns the addresses whose views changed. Views of
    /// a message older than one already recorded for that address are ignored.
    @discardableResult
    public mutating func record(_ message: VoteMessage, from voter: String, now: Instant) -> [String] {
        guard voter != myself, voters.contains(voter) else { return [] }
        let order = Order(bootEpoch: message.bootEpoch, round: message.round)
        var changed: [String] = []
        for view in message.views {
            if let existing = views[view.address]?[voter], order < existing.order { continue }
            let received = ReceivedView(state: view.state, since: now - view.age, receivedAt: now, order: order)
            if views[view.address]?[voter]?.state != view.state { changed.append(view.address) }
            views[view.address, default: [:]][voter] = received
        }
        return changed
    }

    /// Records this node's own current view.
    public mutating func recordOwn(_ view: EndpointView, now: Instant) {
        views[view.address, default: [:]][myself] =
            ReceivedView(state: view.state, since: now - view.age, receivedAt: now, order: Order(bootEpoch: 0, round: 0))
    }

    /// Forgets this node's own view of `address` (its check was removed by a reload): an own view
    /// never expires, so one left behind would count forever.
    public mutating func forgetOwn(_ address: String) {
        views[address]?[myself] = nil
    }

    /// The latest view of each voter for `address`, fresh or not.
    public func views(of address: String) -> [String: ReceivedView] { views[address] ?? [:] }

    /// Whether `voter`'s view counts at `now`.
    public func isFresh(_ view: ReceivedView, of voter: String, now: Instant) -> Bool {
        voter == myself || now - view.receivedAt < voteTTL
    }

    /// The decision for `address` at `now`, with the voters behind it.
    public func decision(for address: String, now: Instant) -> TallyDecision {
        var down: [String] = [], up: [String] = []
        for (voter, view) in views[address] ?? [:] where isFresh(view, of: voter, now: now) {
            switch view.state {
            case .down: down.append(voter)
            case .up: up.append(voter)
            case .unknown: break
            }
        }
        return TallyDecision(verdict: verdict(down: down.count, up: up.count), down: down.sorted(), up: up.sorted())
    }

    /// The verdict alone (no voter lists): what the leader asks on every input.
    public func verdict(for address: String, now: Instant) -> TallyDecision.Verdict {
        var down = 0, up = 0
        for (voter, view) in views[address] ?? [:] where isFresh(view, of: voter, now: now) {
            switch view.state {
            case .down: down += 1
            case .up: up += 1
            case .unknown: break
            }
        }
        return verdict(down: down, up: up)
    }

    private func verdict(down: Int, up: Int) -> TallyDecision.Verdict {
        switch rule {
        case .agreeing:
            return down >= threshold ? .remove : up >= threshold ? .restore : .keep
        case .netSum:
            let net = down - up, needed = max(threshold - 1, 1)
            return net >= needed ? .remove : -net >= needed ? .restore : .keep
        }
    }

    /// The next instant after `now` at which a peer's view stops counting, if any.
    public func nextExpiry(after now: Instant) -> Instant? {
        var next: Instant?
        for byVoter in views.values {
            for (voter, view) in byVoter where voter != myself {
                let expiry = view.receivedAt + voteTTL
                if expiry > now, next.map({ expiry < $0 }) ?? true { next = expiry }
            }
        }
        return next
    }
}
