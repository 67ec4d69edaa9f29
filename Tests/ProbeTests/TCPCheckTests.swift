import Failover
import Foundation
import IO
@testable import Probe
import SansIO
import Testing

/// TCP checks against real loopback listeners.
@Suite struct TCPCheckTests {
    let clock = MonotonicClock()

    private func run(_ check: TCPCheck, timeout: Duration = .milliseconds(500)) async -> CheckResult {
        await check.run(deadline: .now + timeout, clock: clock)
    }

    @Test func upThenClosedGoesDownAfterExactlyFallRuns() async throws {
        let server = try LoopbackServer(.silent)
        let check = TCPCheck(address: server.address)
        var hysteresis = Hysteresis(rise: 2, fall: 3)
        var transitions: [Hysteresis.State] = []
        for _ in 0..<2 {
            let result = await run(check)
            #expect(result.success, "\(result.error ?? "")")
            #expect(result.rtt != nil)
            if let change = hysteresis.record(result, at: result.time) { transitions.append(change.to) }
        }
        #expect(transitions == [.up])
        server.close()
        var failuresUntilDown = 0
        while hysteresis.state != .down, failuresUntilDown < 10 {
            let result = await run(check)
            #expect(!result.success)
            #expect(result.error == "connect: connection refused")
            failuresUntilDown += 1
            _ = hysteresis.record(result, at: result.time)
        }
        #expect(failuresUntilDown == 3)
    }

    @Test func sendAndExpectSucceedWhenTheAnswerArrives() async throws {
        let server = try LoopbackServer(.answer(request: "PING\r\n", response: "+PONG\r\n"))
        defer { server.close() }
        let result = await run(TCPCheck(address: server.address, send: "PING\r\n", expect: "+PONG"))
        #expect(result.success, "\(result.error ?? "")")
    }

    @Test func aWrongAnswerFailsWhenTheConnectionCloses() async throws {
        let server = try LoopbackServer(.answer(request: "PING\r\n", response: "-ERR"))
        defer { server.close() }
        // The server writes and keeps the socket; the check waits for '+PONG' until the deadline.
        let result = await run(TCPCheck(address: server.address, send: "PING\r\n", expect: "+PONG"), timeout: .milliseconds(300))
        #expect(!result.success)
        #expect(result.error?.contains("'+PONG'") == true)
    }

    @Test func aListenerThatNeverAnswersFailsAtTheDeadline() async throws {
        let server = try LoopbackServer(.silent)
        defer { server.close() }
        let started = ContinuousClock.now
        let result = await run(TCPCheck(address: server.address, send: "PING\r\n", expect: "+PONG"), timeout: .milliseconds(300))
        let elapsed = ContinuousClock.now - started
        #expect(!result.success)
        #expect(result.error == "timeout after 300 ms waiting for '+PONG'")
        // Not before the deadline; generous above it (a loaded CI machine).
        #expect(elapsed >= .milliseconds(295))
        #expect(elapsed < .seconds(3))
    }

    @Test func ipv6LoopbackWorks() async throws {
        let listener = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        let any = SocketAddress("[::1]:0")!
        guard any.withSockaddr({ bind(listener, $0, $1) }) == 0, listen(listener, 8) == 0 else {
            print("skipping: no IPv6 loopback here")
            return
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        let result = await run(TCPCheck(address: SocketAddress(storage: storage)!))
        #expect(result.success, "\(result.error ?? "")")
    }
}
