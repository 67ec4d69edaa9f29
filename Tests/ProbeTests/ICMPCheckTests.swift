import Failover
import Foundation
import Glibc
import IO
@testable import Probe
import SansIO
import Testing

/// Runs a command; its exit status.
@discardableResult
private func shell(_ arguments: [String]) -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return -1 }
    process.waitUntilExit()
    return process.terminationStatus
}

private func skipReason() -> String? {
    if getuid() != 0 { return "not root" }
    if shell(["ip", "-V"]) != 0 { return "no `ip` command" }
    return nil
}

@Suite struct EchoPacketTests {
    @Test func requestsCarryAValidChecksumAndRepliesParse() {
        let request = EchoPacket.request(v6: false, identifier: 0x1234, sequence: 7, token: 0xDEAD_BEEF, timestamp: 42)
        #expect(request.count == 8 + EchoPacket.payloadLength)
        #expect(EchoPacket.checksum(request) == 0)  // a correct checksum sums to zero
        var reply = request
        reply[0] = 0  // echo reply
        let ipHeader: [UInt8] = [0x45] + [UInt8](repeating: 0, count: 19)
        #expect(EchoPacket.parseReply((ipHeader + reply)[...], v6: false, raw: true)
                == EchoPacket.Reply(identifier: 0x1234, sequence: 7, token: 0xDEAD_BEEF, timestamp: 42))
        #expect(EchoPacket.parseReply(reply[...], v6: false, raw: false)?.sequence == 7)
        #expect(EchoPacket.parseReply((ipHeader + request)[...], v6: false, raw: true) == nil)  // a request is not a reply
        #expect(EchoPacket.parseReply(reply.prefix(10), v6: false, raw: false) == nil)  // truncated
    }
}

/// ICMP echo against real addresses; needs root (or ping_group_range) and, for the namespace
/// test, the `ip` command. Skips with a printed reason otherwise.
@Suite(.serialized) struct ICMPCheckTests {
    let clock = MonotonicClock()

    @Test(arguments: ["127.0.0.1", "::1"])
    func loopbackAnswers(_ address: String) async throws {
        let check: ICMPCheck
        do { check = try ICMPCheck(address: address) } catch {
            print("skipping ICMP \(address): \(error)")
            return
        }
        let result = await check.run(deadline: .now + .seconds(1), clock: clock)
        #expect(result.success, "\(result.error ?? "")")
        #expect(result.rtt.map { $0 > .zero && $0 < .seconds(1) } == true)
    }

    @Test func fiftyConcurrentTargetsEachGetTheirOwnReply() async throws {
        let checks: [ICMPCheck]
        do { checks = try (2..<52).map { try ICMPCheck(address: "127.0.0.\($0)") } } catch {
            print("skipping: \(error)")
            return
        }
        let results = await withTaskGroup(of: CheckResult.self) { group in
            for check in checks { group.addTask { await check.run(deadline: .now + .seconds(2), clock: self.clock) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.filter { !$0.success }.isEmpty, "\(results.compactMap(\.error))")
        // Every reply was matched; our own echo requests seen on loopback are counted as strays.
        let pinger = try Pinger.shared(.v4, for: "test")
        #expect(pinger.counts.replies >= 50)
    }

    @Test func anEndpointInANamespaceGoesDownAfterExactlyFallWhenItsLinkDrops() async throws {
        if let reason = skipReason() {
            print("skipping the namespace test: \(reason)")
            return
        }
        let tag = String(getpid() % 10_000)
        let namespace = "vt\(tag)", hostSide = "vth\(tag)a", nsSide = "vth\(tag)b"
        let octet = Int(getpid() % 200)
        let hostAddress = "10.213.\(octet).1", endpoint = "10.213.\(octet).2"
        defer {
            shell(["ip", "netns", "del", namespace])
            shell(["ip", "link", "del", hostSide])
        }
        for command in [
            ["ip", "netns", "add", namespace],
            ["ip", "link", "add", hostSide, "type", "veth", "peer", "name", nsSide],
            ["ip", "link", "set", nsSide, "netns", namespace],
            ["ip", "addr", "add", "\(hostAddress)/30", "dev", hostSide],
            ["ip", "link", "set", hostSide, "up"],
            ["ip", "-n", namespace, "addr", "add", "\(endpoint)/30", "dev", nsSide],
            ["ip", "-n", namespace, "link", "set", nsSide, "up"],
            ["ip", "-n", namespace, "link", "set", "lo", "up"],
        ] {
            guard shell(command) == 0 else {
                print("skipping the namespace test: `\(command.joined(separator: " "))` failed (no netns support here?)")
                return
            }
        }
        let check = try ICMPCheck(address: endpoint)
        var hysteresis = Hysteresis(rise: 2, fall: 3)
        var answered = 0
        for _ in 0..<6 where hysteresis.state != .up {
            let result = await check.run(deadline: .now + .milliseconds(500), clock: clock)
            if result.success { answered += 1 }
            _ = hysteresis.record(result, at: result.time)
        }
        #expect(hysteresis.state == .up, "the namespace endpoint answered \(answered) times")
        #expect(shell(["ip", "link", "set", hostSide, "down"]) == 0)
        var failures = 0
        while hysteresis.state != .down, failures < 10 {
            let result = await check.run(deadline: .now + .milliseconds(300), clock: clock)
            #expect(!result.success)
            failures += 1
            _ = hysteresis.record(result, at: result.time)
        }
        #expect(failures == 3)
    }
}
