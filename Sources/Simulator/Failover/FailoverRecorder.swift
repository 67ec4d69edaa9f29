import Failover
import SansIO

/// What the failover scenarios measure, gathered from observations: when each agent's view of
/// an address turned, every DNS call started (by whom, when), and the alerts raised.
final class FailoverRecorder {
    struct StartedCall {
        let time: Instant
        let node: Int
        let call: DNSCall
    }

    /// Per address: (true time, node) of every transition of an agent's view to `down` / `up`.
    private(set) var turnedDown: [String: [(time: Instant, node: Int)]] = [:]
    private(set) var turnedUp: [String: [(time: Instant, node: Int)]] = [:]
    private(set) var calls: [StartedCall] = []
    private(set) var allDownAlerts: [(time: Instant, node: Int, name: String)] = []

    init(_ simulation: Simulation) {
        simulation.observe { [unowned self] observation, _ in
            switch observation.event {
            case let event as FailoverEvent:
                switch event {
                case .viewChanged(let view) where view.state == .down:
                    self.turnedDown[view.address, default: []].append((observation.time, observation.node))
                case .viewChanged(let view) where view.state == .up:
                    self.turnedUp[view.address, default: []].append((observation.time, observation.node))
                case .allDown(let name, _):
                    self.allDownAlerts.append((observation.time, observation.node, name))
                default: break
                }
            case let started as DNSCallStarted:
                self.calls.append(StartedCall(time: observation.time, node: observation.node, call: started.call))
            default: break
            }
        }
    }

    /// The instant the `count`-th distinct agent's view of `address` turned down (or up) at or after `start`.
    func agreement(_ count: Int, on address: String, down: Bool, after start: Instant) -> Instant? {
        var seen: Set<Int> = []
        for (time, node) in (down ? turnedDown : turnedUp)[address] ?? [] where time >= start {
            if seen.insert(node).inserted, seen.count == count { return time }
        }
        return nil
    }

    /// The first started write at or after `start` that removes (or adds) `address`.
    func firstWrite(touching address: String, removing: Bool, after start: Instant) -> StartedCall? {
        calls.first { call in
            guard call.time >= start else { return false }
            switch call.call.request {
            case .delete(let record): return removing && record.content == address
            case .create(let spec): return !removing && spec.content == address
            case .batch(let creates, let deletes):
                return removing ? deletes.contains { $0.content == address } : creates.contains { $0.content == address }
            case .list: return false
            }
        }
    }

    /// Calls started in `[start, end]`.
    func callCount(from start: Instant, through end: Instant) -> Int {
        calls.filter { $0.time >= start && $0.time <= end }.count
    }
}

extension SimulatedDNSProvider {
    /// The first landed write at or after `start` after which `name` no longer (or again) holds `address`.
    func landing(of address: String, in name: String, removed: Bool, after start: Instant) -> Instant? {
        for write in landedWrites where write.time >= start {
            if removed, write.removed.contains(where: { $0.name == name && $0.address == address }) { return write.time }
            if !removed, case let touched = touchedCreates(write.call.request), touched.contains(address) { return write.time }
        }
        return nil
    }

    private func touchedCreates(_ request: DNSRequest) -> [String] {
        switch request {
        case .create(let spec): return [spec.content]
        case .batch(let creates, _): return creates.map(\.content)
        default: return []
        }
    }

    /// Records that share a name and address with another (the planner must collapse them).
    public var duplicateRecords: Int {
        records.values.reduce(0) { total, list in total + list.count - Set(list.map(\.content)).count }
    }
}
