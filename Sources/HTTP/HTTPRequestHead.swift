/// The request line and headers of one request, parsed within `HTTPServerLimits` (sans-IO:
/// bytes in, a head or the status that refuses it out).
struct HTTPRequestHead: Sendable {
    var method: HTTPMethod
    var target: String
    var headers: [HTTPHeader]
    /// Bytes of the body that follow the head.
    var contentLength: Int
    /// Whether the connection stays open after the response (HTTP/1.1 unless `Connection: close`).
    var keepAlive: Bool
    /// The client asked for `100 Continue` before sending the body.
    var expectsContinue: Bool

    enum Parse: Sendable, Equatable {
        /// More bytes are needed.
        case incomplete
        /// The head, and how many bytes of the buffer it took.
        case head(length: Int)
        /// Refused with this status.
        case refused(Int)
    }

    private static let longestMethod = HTTPMethod.allCases.map(\.rawValue.utf8.count).max() ?? 0
    private static let terminator: [UInt8] = [13, 10, 13, 10]

    /// Looks for a complete head at the start of `buffer`.
    static func scan(_ buffer: [UInt8], limits: HTTPServerLimits) -> Parse {
        // A request starts with a method token (upper-case letters, then a space); anything else
        // (a TLS hello, random bytes) is refused at once rather than waited on.
        let token = buffer.prefix { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
        if token.count < buffer.count, buffer[token.count] != UInt8(ascii: " ") || token.isEmpty { return .refused(400) }
        if token.count > longestMethod { return .refused(405) }
        let lineEnd = buffer.firstRange(of: [13, 10])?.lowerBound
        if (lineEnd ?? buffer.count) > limits.maximumRequestLineBytes { return .refused(400) }
        guard let lineEnd else { return .incomplete }
        guard let end = buffer.firstRange(of: terminator) else {
            return buffer.count - lineEnd > limits.maximumHeaderBytes + 4 ? .refused(431) : .incomplete
        }
        if end.lowerBound - lineEnd > limits.maximumHeaderBytes + 2 { return .refused(431) }
        return .head(length: end.upperBound)
    }

    /// Parses a head that `scan` found complete; the refusal status otherwise.
    static func parse(_ bytes: ArraySlice<UInt8>, limits: HTTPServerLimits) -> Result<HTTPRequestHead, HTTPStatusRefusal> {
        guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(HTTPStatusRefusal(400)) }
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)
        guard !lines.isEmpty else { return .failure(HTTPStatusRefusal(400)) }
        let requestLine = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: false)
        guard requestLine.count == 3, requestLine[1].first == "/" || requestLine[1] == "*",
              requestLine[2] == "HTTP/1.1" || requestLine[2] == "HTTP/1.0" else { return .failure(HTTPStatusRefusal(400)) }
        guard let method = HTTPMethod(rawValue: String(requestLine[0])), limits.methods.contains(method) else {
            return requestLine[0].allSatisfy({ $0.isLetter && $0.isUppercase }) ? .failure(HTTPStatusRefusal(405)) : .failure(HTTPStatusRefusal(400))
        }
        var headers: [HTTPHeader] = []
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex,
                  !line[..<colon].contains(where: { $0 == " " || $0 == "\t" }) else { return .failure(HTTPStatusRefusal(400)) }
            headers.append(HTTPHeader(String(line[..<colon]), String(line[line.index(after: colon)...].trimmingWhitespace())))
        }
        if headers.count > limits.maximumHeaderCount { return .failure(HTTPStatusRefusal(431)) }
        let http11 = requestLine[2] == "HTTP/1.1"
        if http11, headers.value(of: "Host") == nil { return .failure(HTTPStatusRefusal(400)) }
        // Chunked bodies are not served: no client of this server sends them (RFC 9112 §6.3 allows refusing).
        if headers.value(of: "Transfer-Encoding") != nil { return .failure(HTTPStatusRefusal(400)) }
        let lengths = Set(headers.filter { $0.name.lowercased() == "content-length" }.map(\.value))
        guard lengths.count <= 1 else { return .failure(HTTPStatusRefusal(400)) }
        var contentLength = 0
        if let text = lengths.first {
            guard !text.isEmpty, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber), let value = Int(text) else {
                return .failure(HTTPStatusRefusal(text.count > 18 && text.allSatisfy(\.isNumber) ? 413 : 400))
            }
            contentLength = value
        }
        if contentLength > limits.maximumBodyBytes { return .failure(HTTPStatusRefusal(413)) }
        let connection = headers.value(of: "Connection")?.lowercased() ?? ""
        let keepAlive = http11 ? !connection.contains("close") : connection.contains("keep-alive")
        let expectsContinue = headers.value(of: "Expect")?.lowercased() == "100-continue"
        return .success(HTTPRequestHead(method: method, target: String(requestLine[1]), headers: headers,
                                        contentLength: contentLength, keepAlive: keepAlive, expectsContinue: expectsContinue))
    }
}

/// The status a malformed or oversized request is answered with.
struct HTTPStatusRefusal: Error, Sendable, Equatable {
    let status: Int
    init(_ status: Int) { self.status = status }
}
