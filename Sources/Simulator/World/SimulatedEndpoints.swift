import SansIO

/// The endpoints the agents check, as a pure function of true time: which addresses answer, from
/// which regions, when.
///
/// Every address answers from everywhere unless an outage says otherwise. An outage takes an
/// address down for all observers or only for some regions (a path failure seen from one region),
/// once or flapping on a schedule. Being a function of time (not of events), a check that started
/// at some instant can be judged later, so a simulated check costs one event.
public final class SimulatedEndpoints {
    /// One period of unavailability.
    public struct Outage: Sendable, Hashable {
        public var address: String
        /// The observer regions that cannot reach it; nil: every region.
        public var regions: Set<Int>?
        public var start: Instant
        /// nil: until the end of the run.
        public var end: Instant?
        /// When set, the address alternates: down for `period`, up for `period`, from `start` to `end`.
        public var flapPeriod: Duration?

        public init(address: String, regions: Set<Int>? = nil, start: Instant, end: Instant? = nil,
                    flapPeriod: Duration? = nil) {
            self.address = address
            self.regions = regions
            self.start = start
            self.end = end
            self.flapPeriod = flapPeriod
        }

        func covers(region: Int, at time: Instant) -> Bool {
            guard time >= start, end.map({ time < $0 }) ?? true, regions?.contains(region) ?? true else { return false }
            guard let period = flapPeriod, period > .zero else { return true }
            return ((time - start).nanoseconds / period.nanoseconds) % 2 == 0
        }
    }

    /// Every address the world has, sorted.
    public let addresses: [String]
    /// Base round-trip time from each region to the endpoints.
    public var roundTrip: [Duration]
    public private(set) var outages: [Outage] = []

    public init(addresses: [String], roundTrip: [Duration] = [.milliseconds(20), .milliseconds(35), .milliseconds(50)]) {
        self.addresses = addresses.sorted()
        self.roundTrip = roundTrip
    }

    public func add(_ outage: Outage) { outages.append(outage) }

    /// Whether a check from `region` reaches `address` at true time `time`.
    public func isReachable(_ address: String, from region: Int, at time: Instant) -> Bool {
        !outages.contains { $0.address == address && $0.covers(region: region, at: time) }
    }

    /// Whether `address` answers every region at `time` (what DNS should then hold).
    public func isUpEverywhere(_ address: String, at time: Instant, regionCount: Int) -> Bool {
        (0..<regionCount).allSatisfy { isReachable(address, from: $0, at: time) }
    }

    /// Whether no region reaches `address` at `time`.
    public func isDownEverywhere(_ address: String, at time: Instant, regionCount: Int) -> Bool {
        (0..<regionCount).allSatisfy { !isReachable(address, from: $0, at: time) }
    }
}
