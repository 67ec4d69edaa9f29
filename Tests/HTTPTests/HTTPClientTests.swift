import HTTP
import IO
import Testing

/// The libcurl client against the project's own server on loopback.
@Suite struct HTTPClientTests {
    private func server(limits: HTTPServerLimits = HTTPServerLimits(), _ handler: @escaping HTTPServer.Handler) throws -> HTTPServer {
        try HTTPServer(binding: SocketAddress("127.0.0.1:0")!, limits: limits, handler: handler)
    }

    @Test func methodsBodiesAndHeadersRoundTrip() async throws {
        let server = try server { request in
            let echoed = "\(request.method.rawValue) \(request.path) q=\(request.queryValue("q") ?? "-") body=\(String(decoding: request.body, as: UTF8.self))"
            return .respond(HTTPServerResponse(status: 201, headers: [HTTPHeader("X-Seen", request.headers.value(of: "X-Test") ?? "")], body: Array(echoed.utf8)))
        }
        defer { server.stop() }
        for method in [HTTPMethod.get, .post, .put, .patch, .delete] {
            let body = method == .get ? [] : Array("{\"n\":1}".utf8)
            let result = await HTTPClient.shared.send(HTTPRequest(method: method, url: "http://\(server.address)/a/b?q=x%20y", headers: [HTTPHeader("X-Test", "t")],
                                                                  body: body, timeout: .seconds(5)))
            let response = try result.get()
            #expect(response.status == 201)
            #expect(response.headers.value(of: "x-seen") == "t")
            #expect(String(decoding: response.body, as: UTF8.self) == "\(method.rawValue) /a/b q=x y body=\(String(decoding: body, as: UTF8.self))")
        }
        let head = try await HTTPClient.shared.send(HTTPRequest(method: .head, url: "http://\(server.address)/", timeout: .seconds(5))).get()
        #expect(head.status == 201)
        #expect(head.body.isEmpty)
    }

    @Test func sequentialRequestsReuseOneConnection() async throws {
        let server = try server { _ in .respond(HTTPServerResponse(status: 200, text: "ok")) }
        defer { server.stop() }
        for _ in 0..<20 {
            _ = try await HTTPClient.shared.send(HTTPRequest(url: "http://\(server.address)/", timeout: .seconds(5))).get()
        }
        #expect(server.statistics.accepted <= 2)
        for _ in 0..<5 {
            _ = try await HTTPClient.shared.send(HTTPRequest(url: "http://\(server.address)/", timeout: .seconds(5), freshConnection: true)).get()
        }
        #expect(server.statistics.accepted >= 5)
    }

    @Test func manyRequestsInFlightAtOnce() async throws {
        let server = try server { _ in
            try? await Task.sleep(for: .milliseconds(300))
            return .respond(HTTPServerResponse(status: 200, text: "slow"))
        }
        defer { server.stop() }
        let started = ContinuousClock.now
        let statuses = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<50 {
                group.addTask { (try? await HTTPClient.shared.send(HTTPRequest(url: "http://\(server.address)/", timeout: .seconds(20))).get().status) ?? 0 }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 200, count: 50))
        // Serially 50 × 300 ms would be 15 s; in flight together it is a fraction of that.
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func theDeadlineIsEnforcedInMilliseconds() async throws {
        let server = try server { _ in
            try? await Task.sleep(for: .seconds(5))
            return .respond(HTTPServerResponse(status: 200, text: "late"))
        }
        defer { server.stop() }
        let started = ContinuousClock.now
        let result = await HTTPClient.shared.send(HTTPRequest(url: "http://\(server.address)/", timeout: .milliseconds(300)))
        let elapsed = ContinuousClock.now - started
        #expect(result.failure == .timedOut)
        #expect(elapsed >= .milliseconds(290))
        #expect(elapsed < .seconds(4))
    }

    @Test func aBodyPastTheCapIsANamedFailure() async throws {
        let server = try server { _ in .respond(HTTPServerResponse(status: 200, body: Array(repeating: 65, count: 200_000))) }
        defer { server.stop() }
        let capped = await HTTPClient.shared.send(HTTPRequest(url: "http://\(server.address)/", timeout: .seconds(5), maximumBodyBytes: 64 * 1_024))
        #expect(capped.failure == .bodyTooLarge(limit: 64 * 1_024))
        let whole = try await HTTPClient.shared.send(HTTPRequest(url: "http://\(server.address)/", timeout: .seconds(5))).get()
        #expect(whole.body.count == 200_000)
    }

    @Test func connectAddressSpeaksAsTheURLsHost() async throws {
        let server = try server { request in .respond(HTTPServerResponse(status: 200, text: request.headers.value(of: "Host") ?? "")) }
        defer { server.stop() }
        let response = try await HTTPClient.shared.send(HTTPRequest(url: "http://www.vantage.test:\(server.address.port)/", timeout: .seconds(5),
                                                                    connectAddress: "127.0.0.1")).get()
        #expect(String(decoding: response.body, as: UTF8.self) == "www.vantage.test:\(server.address.port)")
    }

    @Test func connectAddressWorksOverIPv6Loopback() async throws {
        guard let server = try? HTTPServer(binding: SocketAddress("[::1]:0")!, handler: { request in
            .respond(HTTPServerResponse(status: 200, text: "\(request.headers.value(of: "Host") ?? "") from \(request.peer)"))
        }) else {
            print("skipped: no IPv6 loopback here")
            return
        }
        defer { server.stop() }
        let response = try await HTTPClient.shared.send(HTTPRequest(url: "http://www.vantage.test:\(server.address.port)/", timeout: .seconds(5),
                                                                    connectAddress: "::1")).get()
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(text.hasPrefix("www.vantage.test:\(server.address.port) from [::1]:"))
    }

    @Test func refusedResetAndBrokenAnswersAreNamedFailures() async throws {
        let server = try server { request in
            switch request.path {
            case "/drop": return .drop
            default: return .raw(Array("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly a little".utf8))
            }
        }
        let port = server.address.port
        let dropped = await HTTPClient.shared.send(HTTPRequest(url: "http://127.0.0.1:\(port)/drop", timeout: .seconds(5)))
        #expect(dropped.failure.map { if case .transferFailed = $0 { true } else { false } } == true)
        let truncated = await HTTPClient.shared.send(HTTPRequest(url: "http://127.0.0.1:\(port)/short", timeout: .seconds(5)))
        #expect(truncated.failure.map { if case .transferFailed = $0 { true } else { false } } == true)
        let tls = await HTTPClient.shared.send(HTTPRequest(url: "https://127.0.0.1:\(port)/", timeout: .seconds(5)))
        #expect(tls.failure.map { if case .tls = $0 { true } else { false } } == true)
        server.stop()
        try await Task.sleep(for: .milliseconds(200))
        let refused = await HTTPClient.shared.send(HTTPRequest(url: "http://127.0.0.1:\(port)/", timeout: .seconds(5)))
        #expect(refused.failure.map { if case .connectionFailed = $0 { true } else { false } } == true)
    }

    @Test func secretsNeverAppearInDescriptionsOrFailures() async throws {
        let secret = "s3cr3t-token-value-\(UInt64.random(in: 1...UInt64.max))"
        let request = HTTPRequest(method: .post, url: "https://127.0.0.1:1/zones", headers: [
            HTTPHeader("Authorization", "Bearer \(secret)"), HTTPHeader("X-Auth-Key", secret), HTTPHeader("X-Auth-Email", "ops@example.com"),
        ], body: [], timeout: .seconds(2))
        #expect(!request.description.contains(secret))
        #expect(request.description.contains("X-Auth-Email: ops@example.com"))
        #expect(!String(reflecting: request).contains(secret))
        #expect(!String(describing: request.headers).contains(secret))
        #expect(!"\(request.headers)".contains(secret) && "\(request.headers)".contains("<redacted>"))
        let result = await HTTPClient.shared.send(request)
        let failure = try #require(result.failure)
        #expect(!failure.description.contains(secret))
        #expect(!String(reflecting: failure).contains(secret))
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }
}
