import Failover
import Foundation
import IO
import Membership
@testable import Node
import Probe
import Raft
import SansIO
import Testing
import Wire

/// The runtime shell on real loopback sockets: UDP, the sealed transport, and the election over it.
@Suite struct ClusterRuntimeTests {
    private static let key = SecretKey.generate()

    private func transport(_ node: String, key: SecretKey = ClusterRuntimeTests.key, bootEpoch: UInt64 = 1,
                           peers: [String: SocketAddress] = [:], socket: UDPSocket? = nil) throws -> ClusterTransport {
        let socket = try socket ?? UDPSocket(binding: SocketAddress("127.0.0.1:0")!)
        let channel = SecureChannel(clusterName: "test", keyring: try Keyring(primary: key), nonces: .random)
        return ClusterTransport(node: node, bootEpoch: bootEpoch, socket: socket, channel: channel, peers: peers)
    }

    /// The next envelope on `transport`, or nil after `seconds`.
    private func next(_ transport: ClusterTransport, within seconds: Double = 5) async -> Envelope? {
        await withTaskGroup(of: Envelope?.self) { group in
            group.addTask { for await envelope in transport.incoming { return envelope }; return nil }
            group.addTask { try? await Task.sleep(for: .seconds(seconds)); return nil }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    /// Polls `condition` every 20 ms for up to `seconds`.
    private func eventually(within seconds: Double, _ condition: () async -> Bool) async -> Bool {
        let end = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < end {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return await condition()
    }

    @Test func socketAddressesParseAndPrint() {
        #expect(SocketAddress("10.0.0.1:7946")?.description == "10.0.0.1:7946")
        #expect(SocketAddress("[2001:db8::1]:53")?.description == "[2001:db8::1]:53")
        for bad in ["10.0.0.1", "10.0.0.1:70000", "host.example:80", "[::1]80", "::1:80", ""] {
            #expect(SocketAddress(bad) == nil, "\(bad)")
        }
    }

    @Test(arguments: ["127.0.0.1:0", "[::1]:0"])
    func udpRoundTripOnLoopback(_ bind: String) throws {
        let socket = try UDPSocket(binding: SocketAddress(bind)!)
        #expect(socket.localAddress.port != 0)
        try socket.send([1, 2, 3], to: socket.localAddress)
        let received = try socket.receive(maximumLength: 64, timeoutMilliseconds: 2_000)
        #expect(received?.bytes == [1, 2, 3])
        #expect(received?.from == socket.localAddress)
        #expect(try socket.receive(maximumLength: 64, timeoutMilliseconds: 10) == nil)
    }

    @Test func bindingATakenPortNamesTheAddress() throws {
        let taken = try UDPSocket(binding: SocketAddress("127.0.0.1:0")!)
        #expect(throws: SystemCallError.self) { try UDPSocket(binding: taken.localAddress) }
        do {
            _ = try UDPSocket(binding: taken.localAddress)
        } catch {
            #expect(error.description.contains("bind(\(taken.localAddress))"))
        }
    }

    @Test func sealedEnvelopesArriveAndBadDatagramsAreCountedNotDelivered() async throws {
        let aSocket = try UDPSocket(binding: SocketAddress("127.0.0.1:0")!)
        let b = try transport("b", peers: ["a": aSocket.localAddress])
        let a = try transport("a", peers: ["b": b.socket.localAddress], socket: aSocket)
        defer { a.stop(); b.stop() }
        a.send(.election, body: [7, 7], to: "b")
        let envelope = await next(b)
        #expect(envelope?.sender == "a")
        #expect(envelope?.body == [7, 7])
        #expect(envelope?.kind == .election)

        // Another cluster's key, a name that is not a peer, raw garbage, an altered and a replayed
        // datagram: dropped and counted.
        let intruder = try transport("a", key: SecretKey.generate(), peers: ["b": b.socket.localAddress])
        let stranger = try transport("mallory", peers: ["b": b.socket.localAddress])
        defer { intruder.stop(); stranger.stop() }
        intruder.send(.election, body: [6], to: "b")
        stranger.send(.election, body: [6], to: "b")
        let raw = try UDPSocket(binding: SocketAddress("127.0.0.1:0")!)
        try raw.send([UInt8](repeating: 0xAB, count: 100), to: b.socket.localAddress)
        var channel = SecureChannel(clusterName: "test", keyring: try Keyring(primary: Self.key), nonces: .random)
        let datagram = try channel.seal(Envelope(sender: "a", bootEpoch: 9, sequence: 1, kind: .vote, body: [1]))
        var altered = datagram
        altered[altered.count - 1] ^= 1
        try raw.send(altered, to: b.socket.localAddress)
        try raw.send(datagram, to: b.socket.localAddress)
        try raw.send(datagram, to: b.socket.localAddress)
        #expect(await next(b)?.kind == .vote)  // the first intact copy
        let counted = await eventually(within: 5) {
            let drops = b.dropCounts
            return drops["unknown_key"] == 1 && drops["unknown_sender"] == 1 && drops["authentication_failed"] == 1
                && drops["duplicate"] == 1
                && drops.keys.contains { $0.hasPrefix("malformed") }
        }
        #expect(counted, "drops: \(b.dropCounts)")
        a.send(.vote, body: [], to: "nobody")
        #expect(a.dropCounts["unknown_peer"] == 1)
    }

    /// A term store whose writes wait until the test lets them through (or fail).
    final class GatedTermStore: TermStore, @unchecked Sendable {
        struct Refused: Error {}
        private let lock = NSLock()
        private let gate = DispatchSemaphore(value: 0)
        private var waiting = 0
        private var failing = false
        private var stored: PersistentState?

        func load() throws -> PersistentState? { lock.withLock { stored } }

        func save(_ state: PersistentState) throws {
            lock.withLock { waiting += 1 }
            gate.wait()
            try lock.withLock {
                waiting -= 1
                if failing { throw Refused() }
                stored = state
            }
        }

        var waitingWrites: Int { lock.withLock { waiting } }
        var saved: PersistentState? { lock.withLock { stored } }
        func release(failing: Bool = false) {
            lock.withLock { self.failing = failing }
            gate.signal()
        }
    }

    /// Every vote answer that reaches a transport, collected by one reader (an `AsyncStream` has
    /// one consumer, and cancelling it ends the stream).
    final class VoteAnswers: @unchecked Sendable {
        private let lock = NSLock()
        private var answers: [ElectionMessage] = []
        private var reader: Task<Void, Never>?

        init(_ transport: ClusterTransport) {
            reader = Task { [weak self] in
                for await envelope in transport.incoming {
                    guard let message = try? ElectionMessage.decode(envelope.body), case .voteResponse = message else { continue }
                    self?.lock.withLock { self?.answers.append(message) }
                }
            }
        }

        var all: [ElectionMessage] { lock.withLock { answers } }
        func stop() { reader?.cancel() }
    }

    /// The runtime carries `.persist` out off the actor: while the fsync is stuck the service still
    /// answers, and the grant leaves only once the write is durable; a failed write sends nothing
    /// and the node is back in its durable term.
    @Test func voteGrantWaitsForItsWriteAndAFailedWriteSendsNothing() async throws {
        let sockets = try (0..<2).map { _ in try UDPSocket(binding: SocketAddress("127.0.0.1:0")!) }
        let a = try transport("a", peers: ["b": sockets[1].localAddress], socket: sockets[0])
        let b = try transport("b", peers: ["a": sockets[0].localAddress], socket: sockets[1])
        defer { a.stop(); b.stop() }
        let store = GatedTermStore()
        let settings = ElectionSettings(electionTimeoutMin: .milliseconds(200), electionTimeoutMax: .milliseconds(400),
                                        heartbeatInterval: .milliseconds(50), leaseMargin: .milliseconds(20))
        let service = try ElectionService(myself: "a", voters: ["a", "b", "c"], settings: settings, store: store,
                                          transport: a, clock: MonotonicClock(), seed: 7)
        let router = Task { for await envelope in a.incoming { await service.receive(envelope) } }
        let answers = VoteAnswers(b)
        defer { router.cancel(); answers.stop() }
        await service.start()
        try await Task.sleep(for: .milliseconds(300))  // past the boot's vote refusal (200 ms)

        b.send(.election, body: ElectionMessage.voteRequest(term: 5, isTransfer: false).encoded(), to: "a")
        #expect(await eventually(within: 5) { store.waitingWrites == 1 })
        #expect(await service.leadership().term == 5)  // the actor answers while the fsync is stuck
        try await Task.sleep(for: .milliseconds(300))
        #expect(answers.all.isEmpty, "a grant went out before its write was durable")
        store.release()
        #expect(await eventually(within: 5) { answers.all == [.voteResponse(term: 5, granted: true)] })
        #expect(store.saved == PersistentState(currentTerm: 5, votedFor: "b"))

        b.send(.election, body: ElectionMessage.voteRequest(term: 6, isTransfer: false).encoded(), to: "a")
        #expect(await eventually(within: 5) { store.waitingWrites == 1 })
        store.release(failing: true)
        #expect(await eventually(within: 5) { await service.failedWrites == 1 })
        try await Task.sleep(for: .milliseconds(300))
        #expect(answers.all == [.voteResponse(term: 5, granted: true)], "the failed write's grant went out")
        let after = await service.leadership()
        #expect(after.term == 5 && after.role == .follower)
        // Later writes (its own campaigns) go through again once the disk is let through.
        for _ in 0..<20 { store.release() }
    }

    /// Three agents on loopback elect exactly one lease holder over sealed UDP; when it shuts down
    /// another takes over in a higher term. Bounds are generous: this checks the shell carries
    /// the protocol, the timing figures come from the simulator.
    @Test func threeAgentsElectOneWriterOverSealedUDPAndFailOver() async throws {
        let names = ["fra", "iad", "sin"]
        let sockets = try names.map { _ in try UDPSocket(binding: SocketAddress("127.0.0.1:0")!) }
        let addresses = Dictionary(uniqueKeysWithValues: zip(names, sockets.map(\.localAddress)))
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("vantage-runtime-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        var services: [String: ElectionService] = [:], transports: [String: ClusterTransport] = [:]
        for (index, name) in names.enumerated() {
            try FileManager.default.createDirectory(atPath: "\(base)/\(name)", withIntermediateDirectories: true)
            let transport = try transport(name, peers: addresses.filter { $0.key != name }, socket: sockets[index])
            let service = try ElectionService(myself: name, voters: names, settings: ElectionSettings(),
                                              store: FileTermStore(directory: "\(base)/\(name)"), transport: transport,
                                              clock: MonotonicClock(), seed: UInt64(index + 1))
            Task { for await envelope in transport.incoming { await service.receive(envelope) } }
            services[name] = service
            transports[name] = transport
            await service.start()
        }
        defer { for transport in transports.values { transport.stop() } }

        func permits(among names: [String]) async -> [String: WritePermit] {
            var found: [String: WritePermit] = [:]
            for name in names { if let permit = await services[name]!.writePermit() { found[name] = permit } }
            return found
        }
        #expect(await eventually(within: 15) { await permits(among: names).count == 1 })
        let first = await permits(among: names)
        let leader = try #require(first.keys.first)
        let term = first[leader]!.term
        for name in names { #expect(await services[name]!.leadership().leader == leader) }

        await services[leader]!.shutDown()
        transports[leader]!.stop()
        let rest = names.filter { $0 != leader }
        #expect(await eventually(within: 15) { await permits(among: rest).count == 1 })
        let second = await permits(among: rest)
        #expect(second.values.first.map { $0.term > term } == true)
        #expect(second.keys.first != leader)

        // A sealed, authenticated election envelope with a body that does not decode is counted.
        let survivor = services[rest[0]]!
        await survivor.receive(Envelope(sender: rest[1], bootEpoch: 1, sequence: 1, kind: .election, body: [0xFF]))
        #expect(await survivor.malformedMessages == 1)
    }
}

/// SWIM membership and the election sharing one sealed UDP port per agent on loopback.
@Suite struct MembershipRuntimeTests {
    private static let key = SecretKey.generate()

    private struct Agent {
        let transport: ClusterTransport
        let membership: MembershipService
        let election: ElectionService
        let router: Task<Void, Never>
    }

    private func agents(_ names: [String]) throws -> [String: Agent] {
        let sockets = try names.map { _ in try UDPSocket(binding: SocketAddress("127.0.0.1:0")!) }
        let addresses = Dictionary(uniqueKeysWithValues: zip(names, sockets.map(\.localAddress)))
        var settings = SWIM.Settings()
        settings.probeInterval = .milliseconds(200)
        settings.probeTimeout = .milliseconds(100)
        settings.suspicionMin = .seconds(1)
        settings.suspicionMax = .seconds(3)
        var agents: [String: Agent] = [:]
        for (index, name) in names.enumerated() {
            let channel = SecureChannel(clusterName: "test", keyring: try Keyring(primary: Self.key), nonces: .random)
            let transport = ClusterTransport(node: name, bootEpoch: 1, socket: sockets[index], channel: channel,
                                             peers: addresses.filter { $0.key != name })
            let seeds = names.filter { $0 != name }.map { MemberID(name: $0, address: addresses[$0]!.description) }
            let membership = MembershipService(myself: MemberID(name: name, address: addresses[name]!.description), seeds: seeds,
                                               settings: settings, transport: transport, clock: MonotonicClock(), seed: UInt64(index + 10))
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vantage-membership-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let election = try ElectionService(myself: name, voters: names, settings: ElectionSettings(),
                                               store: FileTermStore(directory: directory), transport: transport,
                                               clock: MonotonicClock(), seed: UInt64(index + 20))
            // One port carries every kind; route by envelope kind, as the agent will.
            let router = Task {
                for await envelope in transport.incoming {
                    switch envelope.kind {
                    case .membership: await membership.receive(envelope)
                    case .election: await election.receive(envelope)
                    case .vote: break
                    }
                }
            }
            agents[name] = Agent(transport: transport, membership: membership, election: election, router: router)
        }
        return agents
    }

    private func statuses(_ agent: Agent) async -> [String: MemberStatus] {
        Dictionary(uniqueKeysWithValues: await agent.membership.members().map { ($0.id.name, $0.status) })
    }

    private func eventually(within seconds: Double, _ condition: () async -> Bool) async -> Bool {
        let end = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < end {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return await condition()
    }

    @Test func agentsJoinDetectACrashAndSeeALeaveOverOnePort() async throws {
        let names = ["fra", "iad", "sin", "syd"]
        let cluster = try agents(names)
        defer { for agent in cluster.values { agent.transport.stop(); agent.router.cancel() } }
        for agent in cluster.values {
            await agent.membership.start()
            await agent.election.start()
        }
        let everyoneAlive = await eventually(within: 10) {
            for name in names {
                let seen = await statuses(cluster[name]!)
                guard names.filter({ $0 != name }).allSatisfy({ seen[$0] == .alive }) else { return false }
            }
            return true
        }
        #expect(everyoneAlive)
        // The election runs over the same port at the same time.
        #expect(await eventually(within: 10) {
            var holders = 0
            for name in names where await cluster[name]!.election.writePermit() != nil { holders += 1 }
            return holders == 1
        })

        // A crash (the port goes silent both ways): the others suspect, then declare it dead.
        cluster["syd"]!.transport.stop()
        let survivors = ["fra", "iad", "sin"]
        #expect(await eventually(within: 15) {
            for name in survivors where await statuses(cluster[name]!)["syd"] != .dead { return false }
            return true
        })

        // A graceful leave is seen as left, not dead.
        await cluster["sin"]!.membership.leave()
        #expect(await eventually(within: 5) {
            for name in ["fra", "iad"] where await statuses(cluster[name]!)["sin"] != .left { return false }
            return true
        })
        #expect(await cluster["fra"]!.membership.members().count == 3)
    }
}
