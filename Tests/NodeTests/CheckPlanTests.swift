import IO
@testable import Node
import Probe
import Testing

@Suite struct CheckPlanTests {
    private func check(_ kind: VantageConfig.CheckKind, _ address: String, port: Int? = nil) -> VantageConfig.Check {
        VantageConfig.Check(name: "\(kind) \(address)", kind: kind, address: address, port: port, interval: .seconds(2),
                            timeout: .milliseconds(900), rise: 4, fall: 5, send: kind == .tcp ? "PING\r\n" : nil,
                            expect: kind == .tcp ? "+PONG" : nil,
                            http: kind == .http ? VantageConfig.HTTPCheck(method: "HEAD", path: "/up", host: "www.example.com",
                                                                          expectedStatus: [200...204], bodyContains: nil,
                                                                          tls: false, tlsVerify: true) : nil)
    }

    @Test func everyConfiguredCheckBecomesAProbeWithItsSchedule() throws {
        let plan = CheckPlan([check(.tcp, "10.0.0.1", port: 6379), check(.http, "2001:db8::1", port: 8080)])
        #expect(plan.failures.isEmpty)
        #expect(plan.entries.map(\.check.label) == ["tcp 10.0.0.1:6379", "http [2001:db8::1]:8080/up"])
        let tcp = try #require(plan.entries.first?.check as? TCPCheck)
        #expect(tcp.send == Array("PING\r\n".utf8))
        #expect(tcp.expect == Array("+PONG".utf8))
        let http = try #require(plan.entries.last?.check as? HTTPCheck)
        #expect(http.method.rawValue == "HEAD")
        #expect(http.host == "www.example.com")
        #expect(http.expectedStatus == [200...204])
        #expect(plan.entries.allSatisfy { $0.interval == .seconds(2) && $0.timeout == .milliseconds(900) })
        #expect(plan.checks.allSatisfy { $0.rise == 4 && $0.fall == 5 })
    }

    @Test func aCheckThatCannotStartIsReportedByNameNotDropped() {
        let plan = CheckPlan([check(.tcp, "10.0.0.1"), check(.tcp, "10.0.0.2", port: 80)])
        #expect(plan.entries.count == 1)
        #expect(plan.checks.map(\.address) == ["10.0.0.2"])
        #expect(plan.failures == [CheckSetupError(check: "tcp 10.0.0.1", reason: "needs a numeric address and a port")])
    }
}
