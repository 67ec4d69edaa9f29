import Foundation
import Glibc
import IO
import Testing

/// `vantage-delay-relay` as a process on loopback: datagrams arrive whole, in order and never
/// earlier than the link's delay, and SIGTERM prints the link's report and exits 0.
@Suite(.serialized) struct DelayRelayTests {
    static var executable: URL { MonitorCluster.buildDirectory.appendingPathComponent("vantage-delay-relay") }

    @Test func eachDatagramLeavesInOrderNoEarlierThanTheDelay() async throws {
        let target = try UDPSocket(binding: SocketAddress("127.0.0.1:0")!)
        let sender = try UDPSocket(binding: SocketAddress("127.0.0.1:0")!)
        let listen = SocketAddress("127.0.0.1:\(try freePort(udp: true))")!
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let relay = try ChildProcess(Self.executable, ["--pair", "\(listen)=\(target.localAddress)@50"],
                                     log: directory.appendingPathComponent("relay.log").path)
        defer { relay.kill() }
        #expect(await eventually(within: 10) { relay.output.contains("relay: forwarding 1 links") })

        let count = 20
        var sentAt: [ContinuousClock.Instant] = []
        for index in 0..<count {
            sentAt.append(.now)
            try sender.send([UInt8(index)] + [UInt8](repeating: 0xAB, count: 1_000), to: listen)
            try await Task.sleep(for: .milliseconds(5))
        }
        var order: [Int] = []
        while order.count < count, let datagram = try target.receive(maximumLength: 2_000, timeoutMilliseconds: 2_000) {
            let index = Int(datagram.bytes[0])
            #expect(ContinuousClock.now - sentAt[index] >= .milliseconds(50), "datagram \(index) arrived early")
            #expect(datagram.bytes.count == 1_001)
            order.append(index)
        }
        #expect(order == Array(0..<count))

        relay.signal(SIGTERM)
        #expect(await relay.waitForExit(within: 5) == 0)
        let report = relay.lines.filter { $0.hasPrefix("relay: ") }
        #expect(report.contains { $0.hasPrefix("relay: \(listen) -> \(target.localAddress) @50 ms: 20 datagrams, 0 failed sends, overshoot p50 ") }, "\(report)")
        #expect(report.last?.hasPrefix("relay: total: 20 datagrams, 0 failed sends, overshoot p50 ") == true, "\(report)")
    }

    @Test func aMalformedPairIsAUsageError() throws {
        let result = try VantageProcess.run(["--pair", "127.0.0.1:1=127.0.0.1:2"], executable: Self.executable)
        #expect(result.status == 2)
        #expect(result.standardError.contains("is not LISTEN_ADDRESS:PORT=TARGET_ADDRESS:PORT@DELAY_MS"))
    }
}
