#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Wire

/// The dissemination queue (SWIM §4.1 "infection-style dissemination"): the latest update per
/// member, each piggybacked at most λ·⌈log₁₀(n+1)⌉ times, least-sent first and newest first
/// among equals, within a byte budget.
///
/// Updates are kept in one bucket per transmission count, each ordered by age, so taking the next
/// few updates costs O(taken · log n) rather than sorting the whole queue for every datagram; a
/// 512-member join puts hundreds of updates in every queue.
struct Gossip: Sendable {
    private struct Entry: Sendable {
        var update: SWIM.Update
        var transmissions: Int
        let order: UInt64
        let size: Int
    }

    /// A queued update's place in a bucket. A slot whose member was queued again since (a newer
    /// `order`) is stale; it is dropped when a scan meets it.
    private struct Slot: Sendable {
        let name: String
        let order: UInt64
    }

    private var entries: [String: Entry] = [:]
    /// `buckets[t]` holds the slots of updates sent `t` times, oldest first.
    private var buckets: [[Slot]] = []
    private var counter: UInt64 = 0

    /// After this many updates in a row that do not fit the remaining budget, `take` stops looking.
    private static let misfitsBeforeGivingUp = 8

    var count: Int { entries.count }

    /// Queues `update`, replacing any older update about the same member.
    mutating func enqueue(_ update: SWIM.Update) {
        counter += 1
        let name = update.member.id.name
        entries[name] = Entry(update: update, transmissions: 0, order: counter, size: SWIM.Message.size(of: update))
        insert(Slot(name: name, order: counter), into: 0)
    }

    /// How many times an update is sent in a cluster of `members` (this node included).
    static func retransmitLimit(multiplier: Int, members: Int) -> Int {
        multiplier * max(1, Int(log10(Double(members + 1)).rounded(.up)))
    }

    /// Takes updates fitting in `budget` bytes (at most `Message.gossipLimit`), least-transmitted
    /// and newest first, counting a transmission for each and dropping those that reached `limit`.
    mutating func take(budget: Int, limit: Int) -> [SWIM.Update] {
        guard !entries.isEmpty, budget > 0 else { return [] }
        var remaining = budget, misfits = 0
        var taken: [SWIM.Update] = []
        var promoted: [(slot: Slot, bucket: Int)] = []
        scan: for bucket in buckets.indices {
            var index = buckets[bucket].count - 1
            while index >= 0 {
                guard taken.count < SWIM.Message.gossipLimit, misfits < Self.misfitsBeforeGivingUp else { break scan }
                let slot = buckets[bucket][index]
                defer { index -= 1 }
                guard let entry = entries[slot.name], entry.order == slot.order else {
                    buckets[bucket].remove(at: index)
                    continue
                }
                guard entry.size <= remaining else {
                    misfits += 1
                    continue
                }
                misfits = 0
                remaining -= entry.size
                taken.append(entry.update)
                buckets[bucket].remove(at: index)
                if entry.transmissions + 1 >= limit {
                    entries[slot.name] = nil
                } else {
                    entries[slot.name]?.transmissions += 1
                    promoted.append((slot, entry.transmissions + 1))
                }
            }
        }
        for (slot, bucket) in promoted { insert(slot, into: bucket) }
        return taken
    }

    /// Inserts `slot` into `bucket` at its place by age.
    private mutating func insert(_ slot: Slot, into bucket: Int) {
        while buckets.count <= bucket { buckets.append([]) }
        var low = buckets[bucket].startIndex, high = buckets[bucket].endIndex
        while low < high {
            let middle = (low + high) / 2
            if buckets[bucket][middle].order < slot.order { low = middle + 1 } else { high = middle }
        }
        buckets[bucket].insert(slot, at: low)
    }
}
