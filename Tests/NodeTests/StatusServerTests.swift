import HTTP
import IO
@testable import Node
import Testing

/// The status server's routes: read-only, a token where configured, `/healthz` always open.
@Suite struct StatusServerTests {
    static func request(_ method: HTTPMethod, _ path: String, authorization: String? = nil) -> HTTPServerRequest {
        HTTPServerRequest(method: method, target: path, headers: authorization.map { [HTTPHeader("Authorization", $0)] } ?? [],
                          body: [], peer: SocketAddress("127.0.0.1:1")!)
    }

    static func answer(_ request: HTTPServerRequest, token: String?) async -> HTTPServerResponse? {
        let reply = await StatusServer.answer(request, token: token.map { Array($0.utf8) },
                                              status: { Array("{\"node\":\"fra\"}".utf8) }, metrics: { Array("# metrics\n".utf8) })
        guard case .respond(let response) = reply else { return nil }
        return response
    }

    @Test func routesAnswerGetAndHeadAndRefuseEverythingElse() async {
        #expect(await Self.answer(Self.request(.get, "/status"), token: nil)?.body == Array("{\"node\":\"fra\"}".utf8))
        let metrics = await Self.answer(Self.request(.head, "/metrics"), token: nil)
        #expect(metrics?.status == 200 && metrics?.headers.value(of: "Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(await Self.answer(Self.request(.get, "/healthz"), token: nil)?.status == 200)
        #expect(await Self.answer(Self.request(.get, "/other"), token: nil)?.status == 404)
        for method in [HTTPMethod.post, .put, .patch, .delete] {
            let refused = await Self.answer(Self.request(method, "/status"), token: nil)
            #expect(refused?.status == 405 && refused?.headers.value(of: "Allow") == "GET, HEAD")
        }
    }

    @Test func aTokenGuardsEveryPathButHealthz() async {
        let token = "s3cret-token"
        #expect(await Self.answer(Self.request(.get, "/status"), token: token)?.status == 401)
        #expect(await Self.answer(Self.request(.get, "/metrics", authorization: "Bearer wrong-token!"), token: token)?.status == 401)
        let basic = await Self.answer(Self.request(.get, "/metrics", authorization: "Basic " + token), token: token)
        #expect(basic?.status == 401)
        let admitted = await Self.answer(Self.request(.get, "/metrics", authorization: "Bearer " + token), token: token)
        #expect(admitted?.status == 200)
        #expect(await Self.answer(Self.request(.get, "/healthz"), token: token)?.status == 200)
        let refused = await Self.answer(Self.request(.get, "/status"), token: token)
        let refusal = String(decoding: refused?.body ?? [], as: UTF8.self)
        #expect(refused?.status == 401 && !refusal.contains(token))
    }
}
