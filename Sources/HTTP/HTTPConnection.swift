import IO

/// One accepted connection's request loop: read a request within the deadline, answer it,
/// repeat while keep-alive holds. It never closes the descriptor (the server does, after).
struct HTTPConnection: Sendable {
    let descriptor: Int32
    let peer: SocketAddress
    let limits: HTTPServerLimits
    let reactor: Reactor
    let handler: HTTPServer.Handler

    private static let continueLine = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    func serve() async {
        var buffer: [UInt8] = []
        while true {
            let deadline = ContinuousClock.now + limits.requestTimeout
            var headLength = 0
            scanning: while true {
                switch HTTPRequestHead.scan(buffer, limits: limits) {
                case .head(let length):
                    headLength = length
                    break scanning
                case .refused(let status):
                    await refuse(status, deadline: deadline)
                    return
                case .incomplete:
                    guard await read(into: &buffer, deadline: deadline) else { return }
                }
            }
            let head: HTTPRequestHead
            switch HTTPRequestHead.parse(buffer[..<headLength], limits: limits) {
            case .failure(let refusal):
                await refuse(refusal.status, deadline: deadline)
                return
            case .success(let parsed):
                head = parsed
            }
            buffer.removeFirst(headLength)
            if head.expectsContinue, buffer.count < head.contentLength {
                guard await write(Self.continueLine, deadline: deadline) else { return }
            }
            while buffer.count < head.contentLength {
                guard await read(into: &buffer, deadline: deadline) else { return }
            }
            let body = Array(buffer.prefix(head.contentLength))
            buffer.removeFirst(head.contentLength)
            let reply = await handler(HTTPServerRequest(method: head.method, target: head.target,
                                                        headers: head.headers, body: body, peer: peer))
            let answerDeadline = ContinuousClock.now + limits.requestTimeout
            switch reply {
            case .respond(let response):
                let bytes = response.bytes(keepAlive: head.keepAlive, includeBody: head.method != .head)
                guard await write(bytes, deadline: answerDeadline), head.keepAlive else { return }
            case .drop:
                return
            case .raw(let bytes):
                _ = await write(bytes, deadline: answerDeadline)
                return
            }
        }
    }

    /// Answers a request the server will not serve, then the connection closes.
    private func refuse(_ status: Int, deadline: ContinuousClock.Instant) async {
        var response = HTTPServerResponse(status: status, text: "\(HTTPServerResponse.reason(status))\n")
        if status == 405 {
            response.headers.append(HTTPHeader("Allow", HTTPMethod.allCases.filter(limits.methods.contains).map(\.rawValue).joined(separator: ", ")))
        }
        _ = await write(response.bytes(keepAlive: false, includeBody: true), deadline: deadline)
    }

    /// Appends what arrives before `deadline`; false at end of stream, on an error or at the deadline.
    private func read(into buffer: inout [UInt8], deadline: ContinuousClock.Instant) async -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1_024)
        while true {
            let count: Int?
            do { count = try SystemCall.receive(descriptor, into: &chunk) } catch { return false }
            if let count {
                guard count > 0 else { return false }
                buffer.append(contentsOf: chunk[..<count])
                return true
            }
            guard await reactor.wait(descriptor, for: .readable, until: deadline) else { return false }
        }
    }

    /// Writes every byte before `deadline`; false if the peer went away or the deadline passed.
    private func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) async -> Bool {
        var written = 0
        while written < bytes.count {
            let count: Int?
            do { count = try SystemCall.send(descriptor, bytes, from: written) } catch { return false }
            if let count {
                written += count
            } else if await !reactor.wait(descriptor, for: .writable, until: deadline) {
                return false
            }
        }
        return true
    }
}
