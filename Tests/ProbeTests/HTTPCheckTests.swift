import Failover
import Foundation
import IO
@testable import Probe
import SansIO
import Testing

/// HTTP checks against a real loopback server that answers 200, then 500, then hangs.
@Suite struct HTTPCheckTests {
    let clock = MonotonicClock()

    private func check(_ server: LoopbackServer, bodyContains: String? = nil, expected: [ClosedRange<Int>] = [200...399]) throws -> HTTPCheck {
        try HTTPCheck(address: "127.0.0.1", port: Int(server.address.port), path: "/healthz", host: "www.example.com",
                      expectedStatus: expected, bodyContains: bodyContains)
    }

    @Test func upOnTwoHundredDownOnFiveHundredThenDownByTimeoutAtTheDeadline() async throws {
        let server = try LoopbackServer(.http(status: 200, body: "ok"))
        defer { server.close() }
        let http = try check(server)
        var hysteresis = Hysteresis(rise: 2, fall: 2)
        var transitions: [Hysteresis.State] = []
        func record(_ result: CheckResult) {
            if let change = hysteresis.record(result, at: result.time) { transitions.append(change.to) }
        }
        for _ in 0..<2 {
            let result = await http.run(deadline: .now + .seconds(2), clock: clock)
            #expect(result.success, "\(result.error ?? "")")
            record(result)
        }
        server.set(.http(status: 500, body: "boom"))
        for _ in 0..<2 {
            let result = await http.run(deadline: .now + .seconds(2), clock: clock)
            #expect(result.error == "status 500")
            record(result)
        }
        #expect(transitions == [.up, .down])

        server.set(.silent)
        let started = ContinuousClock.now
        let result = await http.run(deadline: started + .milliseconds(400), clock: clock)
        let elapsed = ContinuousClock.now - started
        #expect(result.error == "timeout after 400 ms")
        #expect(elapsed >= .milliseconds(395))
        #expect(elapsed < .seconds(2))  // the deadline is ours, not URLSession's whole-second timeout
    }

    @Test func bodySubstringAndStatusSetAreEnforced() async throws {
        let server = try LoopbackServer(.http(status: 203, body: "degraded"))
        defer { server.close() }
        let wantsOK = try check(server, bodyContains: "ok")
        #expect(await wantsOK.run(deadline: .now + .seconds(2), clock: clock).error == "body does not contain 'ok'")
        let only200 = try check(server, expected: [200...200])
        #expect(await only200.run(deadline: .now + .seconds(2), clock: clock).error == "status 203")
        let found = try check(server, bodyContains: "grad", expected: [200...299])
        #expect(await found.run(deadline: .now + .seconds(2), clock: clock).success)
    }

    @Test func aRefusedConnectionIsAFailureNotACrash() async throws {
        let server = try LoopbackServer(.silent)
        let port = Int(server.address.port)
        server.close()
        let http = try HTTPCheck(address: "127.0.0.1", port: port)
        let result = await http.run(deadline: .now + .seconds(2), clock: clock)
        #expect(!result.success)
        #expect(result.error != nil)
    }
}
