import Cloudflare
import Failover
import HTTP
import IO
import SansIO
import Synchronization
import Testing

/// What a broken API or something in front of it may answer: each is a named error, retried
/// or not as the issue says, never a crash.
@Suite(.serialized) struct BadAnswerTests {
    /// A server that answers request number `n` (from 0) with `reply(n, request)`.
    private func client(answering reply: @escaping @Sendable (Int, HTTPServerRequest) -> HTTPServerReply, maximumBodyBytes: Int = 8 << 20,
                        scheme: String = "http") throws -> (CloudflareClient, HTTPServer) {
        let counter = Atomic<Int>(0)
        let server = try HTTPServer(binding: SocketAddress("127.0.0.1:0")!) { request in
            reply(counter.wrappingAdd(1, ordering: .relaxed).oldValue, request)
        }
        let settings = CloudflareSettings(baseURL: "\(scheme)://\(server.address)/client/v4", zoneName: "example.com", credentials: .token("t"),
                                          backoff: RetryBackoff(base: .milliseconds(20), cap: .milliseconds(50)), maximumBodyBytes: maximumBodyBytes)
        return (CloudflareClient(settings: settings, jitter: SeededGenerator(seed: 1)), server)
    }

    private func failure(of reply: HTTPServerReply, maximumBodyBytes: Int = 8 << 20, scheme: String = "http") async throws -> (DNSFailure?, Int) {
        let (client, server) = try client(answering: { _, _ in reply }, maximumBodyBytes: maximumBodyBytes, scheme: scheme)
        defer { server.stop() }
        let response = await client.perform(.list(name: "www.example.com"), deadline: .seconds(4))
        return (response.failure, await client.requestsSent)
    }

    private static func body(_ status: Int, _ text: String, type: String = "application/json") -> HTTPServerReply {
        .respond(HTTPServerResponse(status: status, headers: [HTTPHeader("Content-Type", type)], body: Array(text.utf8)))
    }

    @Test func notJSONIsNamedAndNotRetriedOnA4xx() async throws {
        let (failure, sent) = try await failure(of: Self.body(400, "definitely { not json"))
        #expect(failure == .rejected("HTTP 400 with a body that is not JSON"))
        #expect(sent == 1)
    }

    @Test func jsonThatIsNotAnEnvelopeIsNamed() async throws {
        let (failure, _) = try await failure(of: Self.body(200, #"{"hello":"world"}"#))
        #expect(failure == .rejected("HTTP 200 with JSON that is not a Cloudflare envelope"))
    }

    /// Fails the first `failures` requests with `reply`, then answers as the API would.
    private func recovers(after failures: Int, of reply: HTTPServerReply) async throws -> (DNSResponse, Int) {
        let (client, server) = try client(answering: { index, request in
            if index < failures { return reply }
            return request.path.hasSuffix("/zones")
                ? Self.body(200, #"{"success":true,"errors":[],"messages":[],"result":[{"id":"z1","name":"example.com"}]}"#)
                : Self.body(200, #"{"success":true,"errors":[],"messages":[],"result":[],"result_info":{"page":1,"total_pages":1}}"#)
        })
        defer { server.stop() }
        let response = await client.perform(.list(name: "www.example.com"), deadline: .seconds(20))
        return (response, await client.requestsSent)
    }

    @Test func aProxysHTMLErrorPageIsNamedAndRetried() async throws {
        let page = HTTPResponse(status: 502, headers: [HTTPHeader("Content-Type", "text/html")], body: Array("<html><body>Bad gateway</body></html>".utf8))
        let error = CloudflareResponse.decode(page, as: [JSONValue].self).failure
        #expect(error == .htmlPage(status: 502))
        #expect(error?.dnsFailure == .unavailable("HTTP 502 with an HTML page instead of JSON"))
        let (response, sent) = try await recovers(after: 2, of: Self.body(502, "<html><body>Bad gateway</body></html>", type: "text/html"))
        #expect(response == .listed([]))
        #expect(sent == 4)  // two 502s, then the zone and the list
    }

    @Test func aBodyPastTheCapIsNamed() async throws {
        let big = #"{"success":true,"errors":[],"messages":[],"result":[],"padding":""# + String(repeating: "x", count: 100_000) + #""}"#
        let (failure, sent) = try await failure(of: Self.body(200, big), maximumBodyBytes: 10_000)
        #expect(failure == .rejected("response body larger than 10000 bytes"))
        #expect(sent == 1)
    }

    @Test func aRedirectIsNotFollowed() async throws {
        let (failure, sent) = try await failure(of: .respond(HTTPServerResponse(status: 301, headers: [HTTPHeader("Location", "https://elsewhere.test/")])))
        #expect(failure == .rejected("HTTP 301 redirect to https://elsewhere.test/ (not followed)"))
        #expect(sent == 1)
    }

    @Test func aTLSFailureIsNamed() async throws {
        let (failure, sent) = try await failure(of: Self.body(200, "{}"), scheme: "https")
        guard case .rejected(let why)? = failure else { Issue.record("\(String(describing: failure))"); return }
        #expect(why.hasPrefix("TLS failure"))
        #expect(sent == 1)
    }

    @Test func aResetMidBodyIsNamedAndRetried() async throws {
        let truncated = HTTPServerReply.raw(Array("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"success\":tr".utf8))
        let server = try HTTPServer(binding: SocketAddress("127.0.0.1:0")!) { _ in truncated }
        let result = await HTTPClient.shared.send(HTTPRequest(url: "http://\(server.address)/client/v4/zones", timeout: .seconds(10)))
        server.stop()
        guard case .failure(let failure) = result, case .transferFailed = failure else { Issue.record("\(result)"); return }
        #expect(CloudflareError.transport(failure).isTransient)
        let (response, sent) = try await recovers(after: 2, of: truncated)
        #expect(response == .listed([]))
        #expect(sent == 4)
    }

    @Test func theDecoderSurvivesTwentyThousandSeededInputs() async {
        var generator = SeededGenerator(seed: 2_026_14)
        let seeds = [
            #"{"success":true,"errors":[],"messages":[],"result":[{"id":"abc","name":"www.example.com","type":"A","content":"192.0.2.1","proxied":false,"ttl":1}],"result_info":{"page":1,"per_page":100,"count":1,"total_count":1,"total_pages":1}}"#,
            #"{"success":false,"errors":[{"code":81058,"message":"An identical record already exists."}],"messages":[],"result":null}"#,
            #"<html><head><title>502</title></head></html>"#,
            #"{"result":{"posts":[{"id":"1","name":"a","type":"AAAA","content":"::1"}]},"success":true,"errors":[]}"#,
        ].map { Array($0.utf8) }
        var outcomes: [String: Int] = [:]
        for round in 0..<20_000 {
            if round % 50 == 0 { await Task.yield() }  // share the two cores with the loopback tests
            var bytes = seeds[round % seeds.count]
            switch round % 5 {
            case 0:
                bytes = (0..<Int.random(in: 0...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            case 1:
                for _ in 0..<Int.random(in: 1...8, using: &generator) where !bytes.isEmpty {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
            case 2:
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator)))
            case 3:
                let tokens = Array(#"{}[]":,0-1.5e9truefalsenull"success""errors""result""code""#.utf8)
                for _ in 0..<Int.random(in: 1...12, using: &generator) {
                    bytes.insert(tokens[Int.random(in: 0..<tokens.count, using: &generator)], at: Int.random(in: 0...bytes.count, using: &generator))
                }
            default:
                bytes = Array(String(repeating: "[", count: Int.random(in: 1...5_000, using: &generator)).utf8)
            }
            let status = [200, 200, 400, 404, 429, 500, 503, 301][Int.random(in: 0..<8, using: &generator)]
            let response = HTTPResponse(status: status, headers: [HTTPHeader("Retry-After", String(Int.random(in: -5...100, using: &generator)))], body: bytes)
            switch CloudflareResponse.decode(response, as: [ListedRecord].self) {
            case .success: outcomes["envelope", default: 0] += 1
            case .failure(let error):
                outcomes[Self.kind(error), default: 0] += 1
                _ = error.dnsFailure
            }
        }
        #expect(outcomes.values.reduce(0, +) == 20_000)
        #expect(outcomes["envelope", default: 0] > 0)
        #expect(outcomes["notJSON", default: 0] > 0)
        #expect(outcomes["api", default: 0] > 0)
    }

    private static func kind(_ error: CloudflareError) -> String {
        switch error {
        case .api: return "api"
        case .htmlPage: return "htmlPage"
        case .notJSON: return "notJSON"
        case .notAnEnvelope: return "notAnEnvelope"
        case .redirected: return "redirected"
        case .transport: return "transport"
        }
    }

    private struct ListedRecord: Decodable, Sendable {
        var id: String
        var name: String
        var type: String
        var content: String
    }
}
