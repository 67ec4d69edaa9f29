/// Round-robin probe order (SWIM §4.3): members are probed in a shuffled list, reshuffled each
/// round; a member joining mid-round is inserted at a random position, so every member is probed
/// once per round and detection time is bounded.
struct ProbeSchedule: Sendable {
    private var order: [String] = []
    private var position = 0

    /// Inserts a new member at a uniformly random position among those not yet probed this round.
    mutating func insert(_ name: String, rng: inout some RandomNumberGenerator) {
        let index = Int.random(in: position...order.count, using: &rng)
        order.insert(name, at: index)
    }

    /// The next name satisfying `isProbeable`, starting a reshuffled round from `members()` when
    /// the current one is exhausted (asked once per round, not once per probe).
    mutating func next(members: () -> [String], rng: inout some RandomNumberGenerator,
                       isProbeable: (String) -> Bool) -> String? {
        for pass in 0..<2 {
            while position < order.count {
                let name = order[position]
                position += 1
                if isProbeable(name) { return name }
            }
            guard pass == 0 else { break }
            order = members().shuffled(using: &rng)
            position = 0
        }
        return nil
    }
}
