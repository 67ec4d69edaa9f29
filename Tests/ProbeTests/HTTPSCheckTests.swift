import Failover
import Foundation
import IO
@testable import Probe
import Testing

/// HTTPS checks against `openssl s_server` on loopback, whose certificate (from a CA made at
/// test time) is valid only for `www.vantage.test`: the check connects to 127.0.0.1 and speaks
/// as the host, so SNI, Host and verification use the name.
@Suite(.serialized) struct HTTPSCheckTests {
    let clock = MonotonicClock()

    /// A CA, a certificate for www.vantage.test signed by it, and s_server presenting it.
    final class TLSServer {
        let directory: String
        let port: Int
        private let process: Process

        init() throws {
            directory = NSTemporaryDirectory() + "vantage-tls-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try "subjectAltName=DNS:www.vantage.test\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
                .write(toFile: directory + "/server.ext", atomically: true, encoding: .utf8)
            for arguments in [
                ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Vantage Test CA"],
                ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=www.vantage.test"],
                ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem",
                 "-days", "2", "-extfile", "server.ext"],
            ] {
                try Self.openssl(arguments, in: directory).waitUntilExit()
            }
            let probe = try TCPListener(binding: SocketAddress("127.0.0.1:0")!)
            port = Int(probe.localAddress.port)
            probe.close()
            process = try Self.openssl(["s_server", "-accept", "127.0.0.1:\(port)", "-cert", "server.pem", "-key", "server.key", "-www", "-quiet"],
                                       in: directory)
        }

        var caFile: String { directory + "/ca.pem" }

        /// Waits until s_server accepts connections.
        func ready() async -> Bool {
            for _ in 0..<100 {
                let check = TCPCheck(address: SocketAddress(ip: [127, 0, 0, 1], port: UInt16(port)))
                if await check.run(deadline: .now + .milliseconds(200), clock: MonotonicClock()).success { return true }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return false
        }

        func stop() {
            // SIGKILL: the child inherits the test runner's blocked signals, SIGTERM included.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? FileManager.default.removeItem(atPath: directory)
        }

        private static func openssl(_ arguments: [String], in directory: String) throws -> Process {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            process.arguments = arguments
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
    }

    @Test func theCertificateIsVerifiedAgainstTheHostWhileConnectingToTheAddress() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") else {
            print("skipped: /usr/bin/openssl is not installed")
            return
        }
        let server = try TLSServer()
        defer { server.stop() }
        #expect(await server.ready())
        func run(host: String?, verify: Bool = true, caFile: String?) async throws -> CheckResult {
            let check = try HTTPCheck(address: "127.0.0.1", port: server.port, host: host, tls: true, tlsVerify: verify, caFile: caFile)
            return await check.run(deadline: .now + .seconds(10), clock: clock)
        }
        let up = try await run(host: "www.vantage.test", caFile: server.caFile)
        #expect(up.success, "\(up.error ?? "")")
        let wrongHost = try await run(host: "api.vantage.test", caFile: server.caFile)
        #expect(!wrongHost.success)
        #expect(wrongHost.error?.contains("TLS") == true, "\(wrongHost.error ?? "")")
        let untrusted = try await run(host: "www.vantage.test", caFile: nil)
        #expect(!untrusted.success)
        #expect(untrusted.error?.contains("TLS") == true, "\(untrusted.error ?? "")")
        let unverified = try await run(host: nil, verify: false, caFile: nil)
        #expect(unverified.success, "\(unverified.error ?? "")")
        #expect(try HTTPCheck(address: "127.0.0.1", port: server.port, tls: true, tlsVerify: false).label.contains("not verified"))
    }
}
