import SansIO

/// Round-trip times between regions; a datagram's base one-way delay is half the RTT.
///
/// The default is the three-region WAN of DESIGN.md: 90 ms, 160 ms and 230 ms between the region
/// pairs and about 1 ms inside a region.
public struct RegionLatency: Sendable, Equatable {
    /// `roundTrip[a][b]`: RTT between regions `a` and `b` (symmetric, diagonal = intra-region).
    public var roundTrip: [[Duration]]

    public init(roundTrip: [[Duration]]) {
        precondition(!roundTrip.isEmpty && roundTrip.allSatisfy { $0.count == roundTrip.count },
                     "the RTT matrix must be square")
        self.roundTrip = roundTrip
    }

    public var regionCount: Int { roundTrip.count }

    /// Three regions: 90 ms (0↔1), 160 ms (0↔2), 230 ms (1↔2), 1 ms inside a region.
    public static let threeRegionWAN = RegionLatency(roundTrip: [
        [.milliseconds(1), .milliseconds(90), .milliseconds(160)],
        [.milliseconds(90), .milliseconds(1), .milliseconds(230)],
        [.milliseconds(160), .milliseconds(230), .milliseconds(1)],
    ])

    /// The base one-way delay from region `from` to region `to`.
    public func oneWay(from: Int, to: Int) -> Duration {
        roundTrip[from][to] / 2
    }
}
