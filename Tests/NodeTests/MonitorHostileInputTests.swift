import DemoCLI
import Failover
import Foundation
import Glibc
import HTTP
import IO
@testable import Node
import SansIO
import Testing
import Wire

/// A running `vantage monitor` under hostile input at both of its ports: the agent stays up, its
/// figures keep moving, and every bad datagram is dropped and counted by reason — none accepted.
@Suite(.serialized) struct MonitorHostileInputTests {
    /// Datagrams of each kind sent in the UDP test.
    static let perKind = 5_000

    @Test func forgedReplayedTamperedAndRandomDatagramsAreDroppedAndCounted() async throws {
        // "iad" is configured but never started: the test speaks as it.
        let cluster = try MonitorCluster(agents: ["fra", "iad"], endpoints: ["127.0.0.1"])
        defer { cluster.tearDown() }
        try await cluster.start(only: ["fra"])
        #expect(await eventually(within: 10) { await cluster.status(of: "fra")?.endpoints.first?.view?.state == "up" })
        let target = SocketAddress("127.0.0.1:\(cluster.clusterPorts["fra"]!)")!
        let socket = try UDPSocket(binding: SocketAddress("127.0.0.1:0")!)
        let key = try SecretKey(base64: cluster.key)
        var channel = SecureChannel(clusterName: "e2e", keyring: try Keyring(primary: key), nonces: .random)
        var forger = SecureChannel(clusterName: "e2e", keyring: try Keyring(primary: SecretKey.generate()), nonces: .random)
        let body = VoteMessage(bootEpoch: 1, round: 1, views: []).encoded()
        let genuine = try channel.seal(Envelope(sender: "iad", bootEpoch: 1, sequence: 1, kind: .vote, body: body))
        let before = try ExpositionParser.parse(try #require(await cluster.metrics(of: "fra")))

        try socket.send(genuine, to: target)  // the one datagram that may be accepted
        var generator = SystemRandomNumberGenerator()
        var sent = 0
        for index in 0..<Self.perKind {
            try socket.send(genuine, to: target)  // replayed
            var tampered = genuine
            tampered[Int.random(in: 0..<tampered.count, using: &generator)] ^= UInt8(1 << (index % 8))
            try socket.send(tampered, to: target)
            let wrongKey = try forger.seal(Envelope(sender: "iad", bootEpoch: 1, sequence: UInt64(index + 2), kind: .vote, body: body))
            try socket.send(wrongKey, to: target)
            let randomBytes = (0..<Int.random(in: 0...1_500, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            try socket.send(randomBytes, to: target)
            sent += 4
            if index % 250 == 0 { try await Task.sleep(for: .milliseconds(5)) }  // let the reader keep up
        }
        let runsBefore = before.filter { $0.key.hasPrefix("vantage_check_runs_total") }.values.reduce(0, +)
        var after: [String: Double] = [:]
        #expect(await eventually(within: 10) {
            guard let text = await cluster.metrics(of: "fra"), let samples = try? ExpositionParser.parse(text) else { return false }
            after = samples
            let dropped = samples.filter { $0.key.hasPrefix("vantage_datagrams_dropped_total") }.values.reduce(0, +)
            return dropped >= Double(sent) * 0.95
        })
        #expect(after["vantage_datagrams_accepted_total"] == (before["vantage_datagrams_accepted_total"] ?? 0) + 1)
        for reason in ["duplicate", "unknown_key"] {
            #expect((after["vantage_datagrams_dropped_total{reason=\"\(reason)\"}"] ?? 0) > 0, "no \(reason) drops: \(after.filter { $0.key.contains("dropped") })")
        }
        #expect(after.filter { $0.key.hasPrefix("vantage_check_runs_total") }.values.reduce(0, +) > runsBefore)
        #expect(await cluster.get("fra", "/healthz")?.status == 200)
        #expect(cluster.agents["fra"]!.isRunning)
    }

    @Test func garbageAtTheStatusPortLeavesItServing() async throws {
        let cluster = try MonitorCluster(agents: ["solo"], endpoints: ["127.0.0.1"])
        defer { cluster.tearDown() }
        try await cluster.start()
        #expect(await eventually(within: 10) { await cluster.get("solo", "/healthz")?.status == 200 })
        let address = SocketAddress("127.0.0.1:\(cluster.statusPorts["solo"]!)")!
        var generator = SystemRandomNumberGenerator()
        // Random bytes and truncated requests, each on its own connection.
        for index in 0..<200 {
            let bytes: [UInt8] = index % 2 == 0
                ? (0..<Int.random(in: 1...4_096, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                : Array("GET /status HTTP/1.1\r\nHost: x\r\nContent-Le".utf8)
            let connection = try RawConnection(to: address)
            connection.write(bytes)
            connection.close()
        }
        // Slowloris: connections that send a byte now and then and never finish a request.
        let slow = try (0..<50).map { _ in try RawConnection(to: address) }
        for connection in slow { connection.write(Array("GET /sta".utf8)) }
        // A thousand connections at once, held open.
        let crowd = (0..<1_000).compactMap { _ in try? RawConnection(to: address) }
        #expect(crowd.count == 1_000)
        #expect(await cluster.get("solo", "/status")?.status == 200)
        // Writes are refused and change nothing; unknown paths are 404.
        let post = await HTTPClient.shared.send(HTTPRequest(method: .post, url: "http://\(address)/status", body: Array("{".utf8), timeout: .seconds(2)))
        #expect((try? post.get().status) == 405)
        #expect(await cluster.get("solo", "/nothing")?.status == 404)
        for connection in crowd + slow { connection.close() }
        #expect(await cluster.get("solo", "/metrics")?.status == 200)
        #expect(cluster.agents["solo"]!.isRunning)

        // `vantage status` prints the tables; against a closed port it names the address and exits 1.
        let shown = try VantageProcess.run(["status", "--address", address.description])
        #expect(shown.status == 0 && shown.standardOutput.contains("node solo of cluster e2e") && shown.standardOutput.contains("127.0.0.1"))
        let closed = try freePort()
        let missing = try VantageProcess.run(["status", "--address", "127.0.0.1:\(closed)"])
        #expect(missing.status == 1 && missing.standardError.contains("127.0.0.1:\(closed)/status"))
    }
}

/// A plain TCP connection for writing raw bytes at a server.
final class RawConnection: Sendable {
    let descriptor: Int32

    init(to address: SocketAddress) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let descriptor = descriptor
        let result = address.withSockaddr { Glibc.connect(descriptor, $0, $1) }
        guard result == 0 else {
            Glibc.close(descriptor)
            throw HarnessError("connect failed: errno \(errno)")
        }
    }

    func write(_ bytes: [UInt8]) { _ = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }

    func close() { Glibc.close(descriptor) }
}
