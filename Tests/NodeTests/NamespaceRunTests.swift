import Foundation
import Glibc
@testable import Node
import Testing

/// Issue 16: three regions in network namespaces with WAN delays between them (45/80/115 ms one
/// way, through `vantage-delay-relay`), one `vantage monitor` per region, the endpoints and the
/// Cloudflare fake in namespaces of their own (see `NamespaceLab`). Runs as root with `ip` and
/// `iptables`; skips with a printed reason elsewhere.
///
/// One run, in three acts on the same cluster:
/// 1. an endpoint fails and comes back a dozen times, in turn killed (connects refused) and
///    silenced (connects time out, as endpoints fail in the simulator): exactly one delete and
///    one create each, by the leader, the failover time printed against fall × interval;
/// 2. the leader's region is cut off from its peers (it still reaches the endpoints and the
///    API) while another endpoint dies: the two-region side fails over, the cut agent writes
///    nothing (writes counted per source address at the fake);
/// 3. the cut heals: no election (same leader and term everywhere), no write.
@Suite(.serialized) struct NamespaceRunTests {
    static let repetitions = 12
    /// fall × interval of every check.
    static let detection: Duration = .milliseconds(1_500)

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.3f s", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    @Test func threeRegionsFailOverOnceByTheLeaderAndACutRegionNeverWrites() async throws {
        if let reason = NamespaceLab.skipReason() {
            print("skipping the network-namespace run: \(reason)")
            return
        }
        let lab = try NamespaceLab()
        defer { lab.tearDown() }
        try lab.buildNetwork()
        try await lab.startProcesses()

        let ready = await eventually(within: 30) {
            guard let leader = await lab.leader(), let report = await lab.status(of: leader) else { return false }
            return report.endpoints.count == 3 && report.endpoints.allSatisfy { $0.decision == "restore" }
        }
        let firstLeader = await lab.leader()
        guard ready, let leader = firstLeader else {
            Issue.record("no leader with every endpoint up: \(lab.agentLogs)")
            return
        }
        #expect(lab.writes.isEmpty)
        let leaderSource = "from=\(NamespaceLab.address(of: leader)) "

        // (1) An endpoint fails, in turn killed and silenced: one delete by the leader, timed from
        // the failure to the fake's log line; then it comes back: one create by the leader.
        var failovers: [NamespaceLab.EndpointFailure: [Duration]] = [:]
        for repetition in 0..<Self.repetitions {
            let failure = NamespaceLab.EndpointFailure.allCases[repetition % 2]
            // At a random point of the check interval: the waits below are whole intervals, so
            // without it every failure would fall at the same phase of the agents' check grids.
            try await Task.sleep(for: .milliseconds(Int.random(in: 0..<500)))
            let before = lab.writes.count
            let failedAt = ContinuousClock.now
            try lab.fail(endpoint: 0, failure)
            let delete = await lab.nextWrite(after: before, within: 10)
            #expect(delete?.line.contains("request DELETE ") == true && delete?.line.contains(" status=200 ") == true, "\(delete?.line ?? "no delete")")
            #expect(delete?.line.contains(leaderSource) == true && delete?.line.contains("agent=\"vantage (node \(leader))\"") == true,
                    "\(delete?.line ?? "no delete") is not the leader \(leader)'s")
            if let delete {
                failovers[failure, default: []].append(delete.seen - failedAt)
                print("namespace failover \(repetition + 1) (endpoint \(failure)): \(Self.seconds(delete.seen - failedAt)) (fall × interval \(Self.seconds(Self.detection)))")
            }
            try await Task.sleep(for: .seconds(1))  // room for a duplicate to show up
            #expect(lab.writes.count == before + 1, "\(Array(lab.writes.dropFirst(before)))")

            try await lab.recover(endpoint: 0, failure)
            let create = await lab.nextWrite(after: before + 1, within: 10)
            #expect(create?.line.contains("request POST ") == true && create?.line.contains(leaderSource) == true, "\(create?.line ?? "no create")")
            try await Task.sleep(for: .seconds(1))
            #expect(lab.writes.count == before + 2, "\(Array(lab.writes.dropFirst(before)))")
        }
        for failure in NamespaceLab.EndpointFailure.allCases {
            let sorted = (failovers[failure] ?? []).sorted()
            guard !sorted.isEmpty else { continue }
            print("namespace failover, endpoint \(failure), over \(sorted.count): p50 \(Self.seconds(sorted[(sorted.count - 1) / 2])), max \(Self.seconds(sorted.last!)) (fall × interval \(Self.seconds(Self.detection)), one-way delays 45/80/115 ms)")
            // Detection takes 1–1.5 s (the third failure in a row at a 500 ms interval) plus the
            // 300 ms timeout for a silent endpoint; a vote's flight and one API call add well
            // under a second.
            #expect(sorted.allSatisfy { $0 < Self.detection + .seconds(2) }, "\(sorted)")
        }

        // (2) The leader's region is cut off from its peers while another endpoint dies.
        let survivors = NamespaceLab.regions.filter { $0 != leader }
        let writesBeforeCut = lab.writes.count
        try lab.cut(leader)
        let cutAt = ContinuousClock.now
        try lab.fail(endpoint: 1, .killed)
        let takeover = await lab.nextWrite(after: writesBeforeCut, within: 15)
        #expect(takeover?.line.contains("request DELETE ") == true && takeover?.line.contains(" status=200 ") == true, "\(takeover?.line ?? "no delete")\n\(lab.agentLogs)")
        if let takeover { print("namespace failover with the leader's region (\(leader)) cut off: \(Self.seconds(takeover.seen - cutAt))") }
        try await Task.sleep(for: .seconds(2))
        let duringCut = Array(lab.writes.dropFirst(writesBeforeCut))
        let bySource = NamespaceLab.writesBySource(duringCut)
        print("writes during the cut by source: \(bySource.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")) (cut: \(leader) at \(NamespaceLab.address(of: leader)))")
        #expect(bySource[NamespaceLab.address(of: leader)] == nil, "the cut agent wrote: \(duringCut)")
        #expect(duringCut.count == 1, "\(duringCut)")
        let successor = await lab.leader(among: survivors)
        #expect(successor != nil, "no leader on the two-region side")
        #expect(await lab.status(of: leader)?.leaseRemainingSeconds == nil, "the cut agent still holds a lease")

        // (3) Heal: the rejoining region deposes nobody and nothing is written.
        var termBefore: UInt64?
        if let successor { termBefore = await lab.status(of: successor)?.term }
        let writesBeforeHeal = lab.writes.count
        try lab.heal(leader)
        try await Task.sleep(for: .seconds(5))
        for region in NamespaceLab.regions {
            let report = await lab.status(of: region)
            #expect(report?.leader == successor && report?.term == termBefore,
                    "\(region) sees leader \(report?.leader ?? "none") in term \(report?.term ?? 0), not \(successor ?? "none") in \(termBefore ?? 0)")
        }
        #expect(await lab.leader() == successor)
        #expect(lab.writes.count == writesBeforeHeal, "\(lab.writes.dropFirst(writesBeforeHeal))")

        let report = await lab.stopRelay()
        for line in report { print(line) }
        #expect(report.last?.hasPrefix("relay: total: ") == true && report.last?.contains(", 0 failed sends") == true, "\(report)")
    }
}
