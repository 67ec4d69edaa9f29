import Glibc
import HTTP
import IO
import SansIO
import Testing

/// The server against hostile clients: each case is answered or dropped, and the server keeps
/// serving a well-behaved client afterwards (`stillServes`).
@Suite(.serialized) struct HTTPServerTests {
    private func server(_ configure: (inout HTTPServerLimits) -> Void = { _ in }) throws -> HTTPServer {
        var limits = HTTPServerLimits()
        configure(&limits)
        return try HTTPServer(binding: SocketAddress("127.0.0.1:0")!, limits: limits) { request in
            request.path == "/ok" ? .respond(HTTPServerResponse(status: 200, text: "ok")) : .respond(HTTPServerResponse(status: 404, text: "no"))
        }
    }

    private func stillServes(_ server: HTTPServer) async -> Bool {
        let result = await HTTPClient.shared.send(HTTPRequest(url: "http://\(server.address)/ok", timeout: .seconds(10), freshConnection: true))
        return (try? result.get().status) == 200
    }

    private func exchange(_ server: HTTPServer, _ text: String) async throws -> String {
        let client = try await RawClient(server.address)
        defer { client.close() }
        await client.send(text)
        return await client.readToEnd()
    }

    @Test func statusesWhereTheyApply() async throws {
        let server = try server { $0.maximumBodyBytes = 1_000; $0.methods = [.get, .head] }
        defer { server.stop() }
        #expect(try await exchange(server, "GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").hasPrefix("HTTP/1.1 200 OK"))
        #expect(try await exchange(server, "GET /missing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").hasPrefix("HTTP/1.1 404"))
        let refusedMethod = try await exchange(server, "POST /ok HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi")
        #expect(refusedMethod.hasPrefix("HTTP/1.1 405"))
        #expect(refusedMethod.contains("Allow: GET, HEAD"))
        #expect(try await exchange(server, "GET /ok HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n").hasPrefix("HTTP/1.1 413"))
        #expect(try await exchange(server, "GET /ok HTTP/1.1\r\n\r\n").hasPrefix("HTTP/1.1 400"))  // no Host
        #expect(try await exchange(server, "GET ok\r\n\r\n").hasPrefix("HTTP/1.1 400"))
        let head = try await exchange(server, "HEAD /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(head.hasPrefix("HTTP/1.1 200") && head.contains("Content-Length: 2") && !head.hasSuffix("ok"))
        #expect(await stillServes(server))
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnection() async throws {
        let server = try server()
        defer { server.stop() }
        let client = try await RawClient(server.address)
        defer { client.close() }
        await client.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\nGET /ok HTTP/1.1\r\nHost: x\r\n\r\nGET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let answers = await client.readToEnd()
        #expect(answers.components(of: "HTTP/1.1 200 OK") == 3)
        #expect(server.statistics.accepted == 1)
    }

    @Test func truncatedRequestLinesAreDroppedAtTheDeadline() async throws {
        let server = try server { $0.requestTimeout = .milliseconds(500) }
        defer { server.stop() }
        for partial in ["G", "GET /ok", "GET /ok HTTP/1.1\r\nHost: x\r\n", "POST /ok HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc"] {
            let client = try await RawClient(server.address)
            await client.send(partial)
            let started = ContinuousClock.now
            #expect(await client.readToEnd() == "")  // closed without an answer
            #expect(ContinuousClock.now - started < .seconds(8))
            client.close()
        }
        #expect(await stillServes(server))
    }

    @Test func aHundredKilobyteHeaderIs431() async throws {
        let server = try server()
        defer { server.stop() }
        let client = try await RawClient(server.address)
        defer { client.close() }
        await client.send("GET /ok HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 100_000))\r\n\r\n")
        #expect(await client.readSome().hasPrefix("HTTP/1.1 431"))
        let many = (0..<200).map { "X-\($0): v\r\n" }.joined()
        #expect(try await exchange(server, "GET /ok HTTP/1.1\r\nHost: x\r\n\(many)\r\n").hasPrefix("HTTP/1.1 431"))
        let longLine = try await exchange(server, "GET /\(String(repeating: "p", count: 20_000)) HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(longLine.hasPrefix("HTTP/1.1 400"))
        #expect(await stillServes(server))
    }

    @Test func aClientSendingOneByteASecondIsCutOffWhileOthersAreServed() async throws {
        let server = try server { $0.requestTimeout = .seconds(2) }
        defer { server.stop() }
        let slow = try await RawClient(server.address)
        defer { slow.close() }
        let started = ContinuousClock.now
        let request = Array("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        let dripping = Task.detached {
            var sent = 0
            for byte in request {
                guard await slow.send([byte]) else { break }
                sent += 1
                try? await Task.sleep(for: .seconds(1))
            }
            return sent
        }
        #expect(await stillServes(server))
        #expect(await slow.readToEnd() == "")
        let heldFor = ContinuousClock.now - started
        #expect(heldFor >= .milliseconds(1_900))
        #expect(heldFor < .seconds(15))
        dripping.cancel()
        #expect(await dripping.value < request.count)
        #expect(await stillServes(server))
    }

    @Test func randomBytesAreAnsweredOrDropped() async throws {
        let server = try server { $0.requestTimeout = .milliseconds(300) }
        defer { server.stop() }
        var generator = SeededGenerator(seed: 14)
        for round in 0..<40 {
            let client = try await RawClient(server.address)
            var bytes = (0..<Int.random(in: 1...4_000, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if round % 4 == 0 { bytes = Array("GET /ok HTTP/1.1\r\n".utf8) + bytes }
            await client.send(bytes)
            let answer = await client.readToEnd()
            #expect(answer.isEmpty || answer.hasPrefix("HTTP/1.1 4"), "round \(round): \(answer.prefix(40))")
            client.close()
        }
        #expect(await stillServes(server))
    }

    @Test func tenThousandConnectionsAtOnceStayWithinTheCap() async throws {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        if limit.rlim_cur < 12_000, limit.rlim_max >= 12_000 {
            limit.rlim_cur = min(limit.rlim_max, 20_000)
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        guard limit.rlim_cur >= 12_000 else {
            print("skipped: RLIMIT_NOFILE is \(limit.rlim_cur), 12,000 descriptors are needed")
            return
        }
        let server = try server { $0.maximumConnections = 500; $0.requestTimeout = .seconds(3) }
        defer { server.stop() }
        var descriptors: [Int32] = []
        for _ in 0..<10_000 {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard descriptor >= 0 else { break }
            _ = server.address.withSockaddr { connect(descriptor, $0, $1) }
            descriptors.append(descriptor)
        }
        defer { for descriptor in descriptors { Glibc.close(descriptor) } }
        #expect(descriptors.count == 10_000)
        // Idle connections fill the cap until their request deadline drops them; a real client
        // gets through within a few deadlines.
        var served = false
        let started = ContinuousClock.now
        while !served, ContinuousClock.now - started < .seconds(60) {
            served = await stillServes(server)
            if !served { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(served)
        let statistics = server.statistics
        #expect(statistics.peakOpen <= 500)
        #expect(statistics.refused > 0)
    }
}

extension String {
    func components(of needle: String) -> Int {
        var count = 0
        var rest = self[...]
        while let range = rest.range(of: needle) {
            count += 1
            rest = rest[range.upperBound...]
        }
        return count
    }
}
