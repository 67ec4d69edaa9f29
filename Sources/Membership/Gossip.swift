import Wire

/// The dissemination queue (SWIM §4.1 "infection-style dissemination"): the latest update per
/// member, each piggybacked at most λ·⌈log₁₀(n+1)⌉ times, least-sent first, within a byte budget.
struct Gossip: Sendable {
    private struct Entry: Sendable {
        var update: SWIM.Update
        var transmissions: Int
        var order: UInt64
        let size: Int
    }

    private var entries: [String: Entry] = [:]
    private var counter: UInt64 = 0

    var count: Int { entries.count }

    /// Queues `update`, replacing any older update about the same member.
    mutating func enqueue(_ update: SWIM.Update) {
        counter += 1
        entries[update.member.id.name] = Entry(update: update, transmissions: 0, order: counter,
                                               size: SWIM.Message.size(of: update))
    }

    /// How many times an update is sent in a cluster of `members` (this node included).
    static func retransmitLimit(multiplier: Int, members: Int) -> Int {
        multiplier * max(1, Int(log10(Double(members + 1)).rounded(.up)))
    }

    /// Takes updates fitting in `budget` bytes (at most `Message.gossipLimit`), least-transmitted
    /// and newest first, counting a transmission for each and dropping those that reached `limit`.
    mutating func take(budget: Int, limit: Int) -> [SWIM.Update] {
        guard !entries.isEmpty, budget > 0 else { return [] }
        let candidates = entries.values.sorted {
            ($0.transmissions, ~$0.order) < ($1.transmissions, ~$1.order)
        }
        var remaining = budget
        var taken: [SWIM.Update] = []
        for entry in candidates where taken.count < SWIM.Message.gossipLimit {
            guard entry.size <= remaining else { continue }
            remaining -= entry.size
            taken.append(entry.update)
            let name = entry.update.member.id.name
            if entry.transmissions + 1 >= limit {
                entries[name] = nil
            } else {
                entries[name]?.transmissions += 1
            }
        }
        return taken
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
