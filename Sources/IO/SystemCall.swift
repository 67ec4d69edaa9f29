import Glibc

/// A failed system call: which call, on which path or address, and `errno`.
public struct SystemCallError: Error, Equatable, Sendable, CustomStringConvertible {
    public var call: String
    public var path: String
    public var errno: Int32

    public var description: String {
        "\(call)(\(path)) failed: \(String(cString: strerror(errno))) (errno \(errno))"
    }
}

/// The system calls the node makes (files for persistence, sockets for the runtime), each wrapped once: retried on `EINTR`,
/// failures turned into ``SystemCallError``.
package enum SystemCall {
    /// Runs `body` until it does not fail with `EINTR`; a `-1` result throws with `errno`.
    @discardableResult
    package static func retryingOnInterrupt<Result: BinaryInteger>(
        _ call: String, path: String, _ body: () -> Result
    ) throws(SystemCallError) -> Result {
        while true {
            let result = body()
            if result != -1 { return result }
            let code = Glibc.errno
            if code != EINTR { throw SystemCallError(call: call, path: path, errno: code) }
        }
    }

    package static func open(_ path: String, flags: Int32, mode: mode_t = 0) throws(SystemCallError) -> Int32 {
        try retryingOnInterrupt("open", path: path) { Glibc.open(path, flags | O_CLOEXEC, mode) }
    }

    /// Writes every byte, continuing after short writes.
    package static func writeAll(_ descriptor: Int32, _ bytes: [UInt8], path: String) throws(SystemCallError) {
        var written = 0
        while written < bytes.count {
            let count = try retryingOnInterrupt("write", path: path) {
                bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, $0.count - written) }
            }
            written += count
        }
    }

    /// Reads until end of file, refusing files longer than `limit` bytes.
    package static func readAll(_ descriptor: Int32, path: String, limit: Int) throws(SystemCallError) -> [UInt8] {
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = try retryingOnInterrupt("read", path: path) {
                chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress!, $0.count) }
            }
            if count == 0 { return contents }
            contents.append(contentsOf: chunk[0..<count])
            if contents.count > limit { throw SystemCallError(call: "read", path: path, errno: EFBIG) }
        }
    }

    package static func fsync(_ descriptor: Int32, path: String) throws(SystemCallError) {
        try retryingOnInterrupt("fsync", path: path) { Glibc.fsync(descriptor) }
    }

    package static func rename(_ source: String, _ destination: String) throws(SystemCallError) {
        try retryingOnInterrupt("rename", path: "\(source) -> \(destination)") { Glibc.rename(source, destination) }
    }

    /// Closes without retrying: on Linux the descriptor is released even when `close` reports `EINTR`.
    /// An exclusive `flock` on an open file, without waiting (`EWOULDBLOCK` when another open
    /// file — in this process or another — holds it). Released when the descriptor is closed.
    package static func lockExclusively(_ descriptor: Int32, path: String) throws(SystemCallError) {
        // Named through its type: Glibc also exports `struct flock`.
        let lock: (Int32, Int32) -> Int32 = Glibc.flock(_:_:)
        try retryingOnInterrupt("flock", path: path) { lock(descriptor, LOCK_EX | LOCK_NB) }
    }

    /// Creates a directory; an existing one is fine.
    package static func makeDirectory(_ path: String, mode: mode_t) throws(SystemCallError) {
        do {
            try retryingOnInterrupt("mkdir", path: path) { Glibc.mkdir(path, mode) }
        } catch where error.errno == EEXIST {
            return
        }
    }

    package static func close(_ descriptor: Int32) {
        _ = Glibc.close(descriptor)
    }
}

extension SystemCall {
    /// `retryingOnInterrupt` for a non-blocking descriptor: nil instead of an error when the call
    /// would block (`EAGAIN`).
    package static func pending<Result: BinaryInteger>(_ call: String, path: String, _ body: () -> Result) throws(SystemCallError) -> Result? {
        while true {
            let result = body()
            if result != -1 { return result }
            let code = Glibc.errno
            if code == EAGAIN || code == EWOULDBLOCK { return nil }
            if code != EINTR { throw SystemCallError(call: call, path: path, errno: code) }
        }
    }

    /// Reads what a non-blocking stream socket holds into `buffer`: the byte count, 0 at end of
    /// stream, nil when nothing is pending.
    package static func receive(_ descriptor: Int32, into buffer: inout [UInt8]) throws(SystemCallError) -> Int? {
        try pending("recv", path: "fd \(descriptor)") {
            buffer.withUnsafeMutableBytes { Glibc.recv(descriptor, $0.baseAddress, $0.count, 0) }
        }
    }

    /// Writes what a non-blocking stream socket accepts of `bytes[offset...]` (never raising
    /// SIGPIPE): the count written, nil when the send buffer is full.
    package static func send(_ descriptor: Int32, _ bytes: [UInt8], from offset: Int) throws(SystemCallError) -> Int? {
        try pending("send", path: "fd \(descriptor)") {
            bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
        }
    }
}
