import CCurl

/// One request in flight on the client's owner thread: the libcurl easy handle, what libcurl
/// must keep alive until it is done (header lists), and the response as it arrives. Only the
/// owner thread touches it.
final class CurlTransfer {
    let handle: UnsafeMutableRawPointer
    private let continuation: CheckedContinuation<Result<HTTPResponse, HTTPFailure>, Never>
    private var lists: [UnsafeMutablePointer<curl_slist>] = []
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    private let limit: Int
    private let truncates: Bool
    private var body: [UInt8] = []
    private var headers: [HTTPHeader] = []
    private var overflowed = false

    /// Takes ownership of `handle`; `configure` sets the request's options on it.
    init(handle: UnsafeMutableRawPointer, request: HTTPRequest,
         continuation: CheckedContinuation<Result<HTTPResponse, HTTPFailure>, Never>) {
        self.handle = handle
        self.continuation = continuation
        limit = request.maximumBodyBytes
        truncates = request.truncatesBody
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        for list in lists { curl_slist_free_all(list) }
        errorBuffer.deallocate()
        curl_easy_cleanup(handle)
    }

    /// Sets every option of `request`; the first option libcurl refuses is reported.
    func configure(_ request: HTTPRequest) -> HTTPFailure? {
        let context = Unmanaged.passUnretained(self).toOpaque()
        let milliseconds = max(1, request.timeout.components.seconds * 1_000 + request.timeout.components.attoseconds / 1_000_000_000_000_000)
        var codes: [CURLcode] = [
            vantage_curl_easy_setopt_string(handle, CURLOPT_URL, request.url),
            vantage_curl_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"),
            vantage_curl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1),
            vantage_curl_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(milliseconds)),
            vantage_curl_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(milliseconds)),
            vantage_curl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer),
            vantage_curl_easy_setopt_callback(handle, CURLOPT_WRITEFUNCTION, { data, size, count, context in
                Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue().receiveBody(data, size * count)
            }),
            vantage_curl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, context),
            vantage_curl_easy_setopt_callback(handle, CURLOPT_HEADERFUNCTION, { data, size, count, context in
                Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue().receiveHeader(data, size * count)
            }),
            vantage_curl_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, context),
        ]
        switch request.method {
        case .get: codes.append(vantage_curl_easy_setopt_long(handle, CURLOPT_HTTPGET, 1))
        case .head: codes.append(vantage_curl_easy_setopt_long(handle, CURLOPT_NOBODY, 1))
        case .post, .put, .patch, .delete:
            codes.append(vantage_curl_easy_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method.rawValue))
            if request.method == .post || !request.body.isEmpty {
                codes.append(vantage_curl_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)))
                codes.append(request.body.withUnsafeBytes { bytes in
                    // COPYPOSTFIELDS copies, so the bytes need not outlive this call; an empty body still needs a pointer.
                    vantage_curl_easy_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(errorBuffer)))
                })
            }
        }
        // No `Expect: 100-continue` round trip before a body.
        let headerLines = request.headers.map { "\($0.name): \($0.value)" } + ["Expect:"]
            + (request.headers.value(of: "User-Agent") == nil ? ["User-Agent: vantage"] : [])
        codes.append(vantage_curl_easy_setopt_pointer(handle, CURLOPT_HTTPHEADER, list(headerLines)))
        if let address = request.connectAddress {
            let target = address.contains(":") ? "[\(address)]" : address
            codes.append(vantage_curl_easy_setopt_pointer(handle, CURLOPT_CONNECT_TO, list(["::\(target):"])))
        }
        if !request.tls.verify {
            codes.append(vantage_curl_easy_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 0))
            codes.append(vantage_curl_easy_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 0))
        }
        if let caFile = request.tls.caFile {
            codes.append(vantage_curl_easy_setopt_string(handle, CURLOPT_CAINFO, caFile))
        }
        if request.freshConnection {
            codes.append(vantage_curl_easy_setopt_long(handle, CURLOPT_FRESH_CONNECT, 1))
            codes.append(vantage_curl_easy_setopt_long(handle, CURLOPT_FORBID_REUSE, 1))
        }
        guard let refused = codes.first(where: { $0 != CURLE_OK }) else { return nil }
        return .invalidRequest(String(cString: curl_easy_strerror(refused)))
    }

    /// Resumes the caller with libcurl's verdict and what arrived.
    func finish(_ code: CURLcode) {
        continuation.resume(returning: outcome(code))
    }

    /// Resumes the caller with a failure found before the transfer started.
    func fail(_ failure: HTTPFailure) {
        continuation.resume(returning: .failure(failure))
    }

    private func outcome(_ code: CURLcode) -> Result<HTTPResponse, HTTPFailure> {
        if code == CURLE_OK || (overflowed && truncates) {
            var status = 0
            _ = vantage_curl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
            return .success(HTTPResponse(status: status, headers: headers, body: body))
        }
        if overflowed { return .failure(.bodyTooLarge(limit: limit)) }
        let detail = String(cString: errorBuffer)
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return .failure(.timedOut)
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .failure(.connectionFailed(message))
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return .failure(.tls(message))
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return .failure(.invalidRequest(message))
        default:
            return .failure(.transferFailed(message))
        }
    }

    private func receiveBody(_ data: UnsafeMutablePointer<CChar>?, _ length: Int) -> Int {
        guard body.count + length <= limit else {
            overflowed = true
            if truncates, let data { body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: limit - body.count)) }
            return 0  // libcurl aborts the transfer with CURLE_WRITE_ERROR
        }
        if let data { body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: length)) }
        return length
    }

    private func receiveHeader(_ data: UnsafeMutablePointer<CChar>?, _ length: Int) -> Int {
        guard let data else { return length }
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            headers = []  // a new response (after 100 Continue): only the final one's headers count
        } else if let colon = line.firstIndex(of: ":") {
            let value = line[line.index(after: colon)...].trimmingWhitespace()
            headers.append(HTTPHeader(String(line[..<colon]), String(value)))
        }
        return length
    }

    private func list(_ lines: [String]) -> UnsafeMutablePointer<curl_slist>? {
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines { list = curl_slist_append(list, line) }
        if let list { lists.append(list) }
        return list
    }
}
