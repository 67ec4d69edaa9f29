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

/// The runtime transport on real loopback sockets: UDP and sealed envelopes.
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

    /// The runtime carries `.persist` out off the actor: while the fsync is stuck the agent still
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
        let service = try AgentRuntime(
            myself: MemberID(name: "a", address: sockets[0].localAddress.description), seeds: [], voters: ["a", "b", "c"],
            election: settings, persisted: try store.load() ?? .initial, store: store,
            failover: FailoverSettings(myself: "a", voters: ["a", "b", "c"], checks: []), transport: a,
            clock: MonotonicClock(), seed: 7, performDNS: nil)
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
        // Back in its durable term; its own timer may have started a pre-vote since (which raises no term).
        #expect(after.term == 5 && [.follower, .preCandidate].contains(after.role), "\(after)")
        // Later writes (its own campaigns) go through again once the disk is let through.
        for _ in 0..<20 { store.release() }
    }
}
