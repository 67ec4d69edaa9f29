import CCurl
import Glibc
import Synchronization

/// The process's one HTTP client: libcurl's multi interface driven by one owner thread, so many
/// requests are in flight at once (a thousand checks a second, the DNS API, the webhook) while
/// libcurl handles are only ever touched by that thread. Connections to the same host are
/// reused (the multi handle keeps the connection cache); each request's timeout is libcurl's
/// own, in milliseconds.
public final class HTTPClient: Sendable {
    /// The client every module shares; it lives as long as the process.
    public static let shared = HTTPClient()

    private struct Submission: @unchecked Sendable {
        let request: HTTPRequest
        let continuation: CheckedContinuation<Result<HTTPResponse, HTTPFailure>, Never>
    }

    /// The multi handle; only the owner thread calls into it, except `curl_multi_wakeup`, which
    /// libcurl documents as callable from any thread.
    private struct Multi: @unchecked Sendable { let handle: UnsafeMutableRawPointer }

    private let multi: Multi
    private let submissions = Mutex<[Submission]>([])

    /// Connections kept for reuse, in total.
    static let connectionCacheSize = 64

    private init() {
        precondition(curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK, "curl_global_init failed")
        guard let handle = curl_multi_init() else { preconditionFailure("curl_multi_init failed") }
        _ = vantage_curl_multi_setopt_long(handle, CURLMOPT_MAXCONNECTS, Self.connectionCacheSize)
        multi = Multi(handle: handle)
        // A plain pthread rather than Foundation's `Thread`: this module needs no Foundation.
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { context in
            Unmanaged<HTTPClient>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, Unmanaged.passRetained(self).toOpaque())
        precondition(started == 0, "pthread_create failed: \(started)")
        pthread_detach(thread)
    }

    /// Sends `request` and returns its response, or why there is none, by the request's timeout.
    public func send(_ request: HTTPRequest) async -> Result<HTTPResponse, HTTPFailure> {
        guard request.timeout > .zero else { return .failure(.timedOut) }
        return await withCheckedContinuation { continuation in
            submissions.withLock { $0.append(Submission(request: request, continuation: continuation)) }
            _ = curl_multi_wakeup(multi.handle)
        }
    }

    /// The owner thread: start what was submitted, let libcurl work, hand back what finished.
    private func run() {
        var transfers: [UnsafeMutableRawPointer: CurlTransfer] = [:]
        while true {
            for submission in submissions.withLock({ queue in defer { queue = [] }; return queue }) {
                guard let handle = curl_easy_init() else {
                    submission.continuation.resume(returning: .failure(.invalidRequest("curl_easy_init failed")))
                    continue
                }
                let transfer = CurlTransfer(handle: handle, request: submission.request, continuation: submission.continuation)
                if let failure = transfer.configure(submission.request) {
                    transfer.fail(failure)
                } else if curl_multi_add_handle(multi.handle, handle) != CURLM_OK {
                    transfer.fail(.invalidRequest("curl_multi_add_handle failed"))
                } else {
                    transfers[handle] = transfer
                }
            }
            var running: Int32 = 0
            _ = curl_multi_perform(multi.handle, &running)
            var queued: Int32 = 0
            while let message = curl_multi_info_read(multi.handle, &queued) {
                guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle else { continue }
                let code = message.pointee.data.result
                _ = curl_multi_remove_handle(multi.handle, handle)
                transfers.removeValue(forKey: handle)?.finish(code)
            }
            _ = curl_multi_poll(multi.handle, nil, 0, 1_000, nil)
        }
    }
}
