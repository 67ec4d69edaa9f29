import Failover
import Foundation
import IO
import Membership
@testable import Node
import Raft
import SansIO
import Synchronization
import Testing
import Wire

/// Whole agents (membership, election, failover in one `AgentRuntime`) on loopback, one sealed UDP
/// port each. Bounds are generous: these check that the shell carries the protocols; the timing
/// figures come from the simulator.
@Suite struct AgentRuntimeTests {
    private static let key = SecretKey.generate()
    static let name = "www.example.test"
    static let pool = ["192.0.2.1", "192.0.2.2", "192.0.2.3"]

    /// One zone the agents write to, counting writes per writer.
    final class Zone: Sendable {
        /// How long a write takes to apply (a slow provider).
        let writeDelay: Duration
        init(writeDelay: Duration = .zero) { self.writeDelay = writeDelay }

        private struct State {
            var records: [DNSRecord] = pool.enumerated().map {
                DNSRecord(id: "seed-\($0.offset)", name: name, type: .a, content: $0.element, proxied: false, ttl: 60)
            }
            var writes: [(writer: String, request: DNSRequest)] = []
            var nextID = 0
            var writesStarted = 0
            var lastApplied: ContinuousClock.Instant?
        }
        private let state = Mutex(State())

        func perform(_ request: DNSRequest, by writer: String) async -> DNSResponse {
            if request.isWrite, writeDelay > .zero {
                state.withLock { $0.writesStarted += 1 }
                try? await Task.sleep(for: writeDelay)
            }
            return state.withLock { state in
                if request.isWrite { state.lastApplied = .now }
                return apply(request, by: writer, to: &state)
            }
        }

        private func apply(_ request: DNSRequest, by writer: String, to state: inout State) -> DNSResponse {
            switch request {
            case .list(let name): return .listed(state.records.filter { $0.name == name })
            case .create(let spec):
                state.writes.append((writer, request))
                state.nextID += 1
                let record = spec.record(id: "rec-\(state.nextID)")
                state.records.append(record)
                return .created(record)
            case .delete(let record):
                state.writes.append((writer, request))
                state.records.removeAll { $0.id == record.id }
                return .deleted
            case .batch(let creates, let deletes):
                state.writes.append((writer, request))
                let gone = Set(deletes.map(\.id))
                state.records.removeAll { gone.contains($0.id) }
                let made = creates.map { spec -> DNSRecord in
                    state.nextID += 1
                    return spec.record(id: "rec-\(state.nextID)")
                }
                state.records += made
                return .batched(created: made)
            }
        }

        var writesStarted: Int { state.withLock { $0.writesStarted } }
        var lastApplied: ContinuousClock.Instant? { state.withLock { $0.lastApplied } }

        var addresses: Set<String> { state.withLock { Set($0.records.map(\.content)) } }
        var writes: [(writer: String, request: DNSRequest)] { state.withLock { $0.writes } }
    }

    struct Agent {
        let name: String
        let transport: ClusterTransport
        let runtime: AgentRuntime
        let router: Task<Void, Never>
        let directory: String
    }

    private func agents(_ names: [String], zone: Zone?) throws -> [String: Agent] {
        let sockets = try names.map { _ in try UDPSocket(binding: SocketAddress("127.0.0.1:0")!) }
        let addresses = Dictionary(uniqueKeysWithValues: zip(names, sockets.map(\.localAddress)))
        var swim = SWIM.Settings()
        swim.probeInterval = .milliseconds(200)
        swim.probeTimeout = .milliseconds(100)
        swim.suspicionMin = .seconds(1)
        swim.suspicionMax = .seconds(3)
        var agents: [String: Agent] = [:]
        for (index, name) in names.enumerated() {
            let channel = SecureChannel(clusterName: "test", keyring: try Keyring(primary: Self.key), nonces: .random)
            let transport = ClusterTransport(node: name, bootEpoch: 1, socket: sockets[index], channel: channel,
                                             peers: addresses.filter { $0.key != name })
            let seeds = names.filter { $0 != name }.map { MemberID(name: $0, address: addresses[$0]!.description) }
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vantage-agent-\(UUID().uuidString)").path
            let data = try DataDirectory(path: directory)
            let failover = FailoverSettings(
                myself: name, voters: names,
                checks: Self.pool.map { LocalViews.Check(id: "tcp \($0)", address: $0, rise: 1, fall: 1) },
                minPeersAgree: 1, voteInterval: .seconds(1), dns: DNSTarget(hostnames: [Self.name], pool: Self.pool))
            let perform: AgentRuntime.PerformDNS? = zone.map { zone in { @Sendable request, _ in await zone.perform(request, by: name) } }
            let runtime = try AgentRuntime(
                myself: MemberID(name: name, address: addresses[name]!.description), seeds: seeds, swim: swim,
                voters: names, election: ElectionSettings(), persisted: data.persisted, store: data.termStore,
                failover: failover, transport: transport, clock: MonotonicClock(), seed: UInt64(index + 10),
                performDNS: perform)
            let router = Task { for await envelope in transport.incoming { await runtime.receive(envelope) } }
            agents[name] = Agent(name: name, transport: transport, runtime: runtime, router: router, directory: directory)
        }
        return agents
    }


    private func stop(_ cluster: [String: Agent]) {
        for agent in cluster.values { agent.transport.stop(); agent.router.cancel() }
    }

    private func statuses(_ agent: Agent) async -> [String: MemberStatus] {
        Dictionary(uniqueKeysWithValues: await agent.runtime.members().map { ($0.id.name, $0.status) })
    }

    private func permits(_ cluster: [String: Agent], among names: [String]) async -> [String: WritePermit] {
        var found: [String: WritePermit] = [:]
        for name in names { if let permit = await cluster[name]!.runtime.writePermit() { found[name] = permit } }
        return found
    }

    /// Three agents elect exactly one lease holder over sealed UDP; when it shuts down gracefully,
    /// another holds the permit in a higher term.
    @Test func threeAgentsElectOneWriterAndHandOverOnShutdown() async throws {
        let names = ["fra", "iad", "sin"]
        let cluster = try agents(names, zone: nil)
        defer { stop(cluster) }
        for agent in cluster.values { await agent.runtime.start() }
        #expect(await eventually(within: 15) { await permits(cluster, among: names).count == 1 })
        let first = await permits(cluster, among: names)
        let leader = try #require(first.keys.first)
        for name in names { #expect(await cluster[name]!.runtime.leadership().leader == leader) }

        await cluster[leader]!.runtime.shutDown()
        cluster[leader]!.transport.stop()
        let rest = names.filter { $0 != leader }
        #expect(await eventually(within: 15) { await permits(cluster, among: rest).count == 1 })
        let second = await permits(cluster, among: rest)
        #expect(second.values.first.map { $0.term > first[leader]!.term } == true)

        // An authenticated envelope whose body does not decode is counted, per kind.
        let survivor = cluster[rest[0]]!.runtime
        await survivor.receive(Envelope(sender: rest[1], bootEpoch: 1, sequence: 1, kind: .election, body: [0xFF]))
        await survivor.receive(Envelope(sender: rest[1], bootEpoch: 1, sequence: 2, kind: .vote, body: [0xFF]))
        #expect(await survivor.malformedMessages == [MessageKind.election: 1, MessageKind.vote: 1])
    }

    /// Four agents join, detect a crash and see a graceful leave, while the election runs on the same port.
    @Test func agentsJoinDetectACrashAndSeeALeaveOverOnePort() async throws {
        let names = ["fra", "iad", "sin", "syd"]
        let cluster = try agents(names, zone: nil)
        defer { stop(cluster) }
        for agent in cluster.values { await agent.runtime.start() }
        #expect(await eventually(within: 10) {
            for name in names {
                let seen = await statuses(cluster[name]!)
                guard names.filter({ $0 != name }).allSatisfy({ seen[$0] == .alive }) else { return false }
            }
            return true
        })
        #expect(await eventually(within: 10) { await permits(cluster, among: names).count == 1 })
        cluster["syd"]!.transport.stop()
        #expect(await eventually(within: 15) {
            for name in ["fra", "iad", "sin"] where await statuses(cluster[name]!)["syd"] != .dead { return false }
            return true
        })
        await cluster["sin"]!.runtime.shutDown()
        #expect(await eventually(within: 5) {
            for name in ["fra", "iad"] where await statuses(cluster[name]!)["sin"] != .left { return false }
            return true
        })
    }

    /// The whole decision path over real sockets: two agents see an endpoint down, the leader —
    /// and only it — deletes its record once; when they see it up again it is created once.
    @Test func anEndpointFailsOverAndBackWithExactlyOneWriter() async throws {
        let names = ["fra", "iad", "sin"]
        let zone = Zone()
        let cluster = try agents(names, zone: zone)
        defer { stop(cluster) }
        for agent in cluster.values { await agent.runtime.start() }
        #expect(await eventually(within: 15) { await permits(cluster, among: names).count == 1 })
        let leader = try #require(await permits(cluster, among: names).keys.first)
        func report(_ address: String, up: Bool, from agents: [String]) async {
            for name in agents {
                await cluster[name]!.runtime.checkResult(CheckResult(success: up, time: .zero), check: "tcp \(address)")
            }
        }
        for address in Self.pool { await report(address, up: true, from: names) }
        // Two agents (the observer and one peer) see 192.0.2.2 down.
        let followers = names.filter { $0 != leader }
        await report("192.0.2.2", up: false, from: followers)
        #expect(await eventually(within: 10) { !zone.addresses.contains("192.0.2.2") })
        try await Task.sleep(for: .milliseconds(500))
        #expect(zone.writes.count == 1, "\(zone.writes.map { "\($0.writer): \($0.request)" })")
        #expect(zone.writes.allSatisfy { $0.writer == leader })

        await report("192.0.2.2", up: true, from: followers)
        #expect(await eventually(within: 10) { zone.addresses.contains("192.0.2.2") })
        try await Task.sleep(for: .milliseconds(500))
        #expect(zone.writes.count == 2)
        #expect(zone.writes.allSatisfy { $0.writer == leader })
        #expect(zone.addresses == Set(Self.pool))
    }

    /// A leader stopping gracefully lets a write in flight finish before it hands over, so the
    /// successor's lease (which a transfer grants at once) never overlaps the write.
    @Test func aGracefulStopWaitsForTheWriteInFlightBeforeHandingOver() async throws {
        let names = ["fra", "iad", "sin"]
        let zone = Zone(writeDelay: .milliseconds(400))
        let cluster = try agents(names, zone: zone)
        defer { stop(cluster) }
        for agent in cluster.values { await agent.runtime.start() }
        #expect(await eventually(within: 15) { await permits(cluster, among: names).count == 1 })
        let leader = try #require(await permits(cluster, among: names).keys.first)
        // Everyone but the leader sees 192.0.2.3 down: two agents agree, the leader deletes.
        for name in names {
            for address in Self.pool {
                await cluster[name]!.runtime.checkResult(CheckResult(success: address != "192.0.2.3" || name == leader, time: .zero),
                                                         check: "tcp \(address)")
            }
        }
        #expect(await eventually(within: 10) { zone.writesStarted == 1 })
        await cluster[leader]!.runtime.shutDown()
        let returned = ContinuousClock.now
        let applied = try #require(zone.lastApplied, "the write in flight was answered before the hand-over")
        #expect(applied <= returned)
        let rest = names.filter { $0 != leader }
        #expect(await eventually(within: 10) { await permits(cluster, among: rest).count == 1 })
    }
}
