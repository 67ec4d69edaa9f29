import Glibc
import Synchronization

/// SIGHUP, SIGTERM and SIGINT as an `AsyncStream` (the swift-service-lifecycle shape: signals
/// bridged to async code).
///
/// A `sigaction` handler writes the signal number to a pipe (the only async-signal-safe thing it
/// does) and a dedicated thread reads the pipe, so delivery works whichever thread the kernel
/// picks. The three signals are unblocked in the calling thread first: a parent (a test runner,
/// a supervisor) may have started this process with them blocked.
public final class SignalWatcher: Sendable {
    public enum Signal: Sendable, Equatable {
        case hangUp, terminate, interrupt
    }

    public let signals: AsyncStream<Signal>

    /// The pipe's write end, for the handler (a C function cannot capture context).
    private static let writeEnd = Atomic<Int32>(-1)

    public init() {
        var ends: [Int32] = [-1, -1]
        let created = pipe(&ends) == 0
        let (stream, continuation) = AsyncStream.makeStream(of: Signal.self)
        signals = stream
        guard created else {
            continuation.finish()
            return
        }
        _ = fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK)
        Self.writeEnd.store(ends[1], ordering: .sequentiallyConsistent)
        let readEnd = ends[0]
        var set = sigset_t()
        sigemptyset(&set)
        for number in [SIGHUP, SIGTERM, SIGINT] {
            sigaddset(&set, number)
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(SignalWatcher.writeEnd.load(ordering: .relaxed), &byte, 1)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(number, &action, nil)
        }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        let thread = Thread(readEnd: readEnd, continuation: continuation)
        thread.start()
    }

    /// The reader: one byte per signal, EINTR retried.
    private final class Thread: Sendable {
        let readEnd: Int32
        let continuation: AsyncStream<Signal>.Continuation

        init(readEnd: Int32, continuation: AsyncStream<Signal>.Continuation) {
            self.readEnd = readEnd
            self.continuation = continuation
        }

        func start() {
            var thread = pthread_t()
            let box = Unmanaged.passRetained(self).toOpaque()
            pthread_create(&thread, nil, { context in
                let reader = Unmanaged<Thread>.fromOpaque(context!).takeRetainedValue()
                reader.loop()
                return nil
            }, box)
            pthread_detach(thread)
        }

        private func loop() {
            var byte: UInt8 = 0
            while true {
                let count = read(readEnd, &byte, 1)
                if count < 0, errno == EINTR { continue }
                guard count == 1 else { break }
                switch Int32(byte) {
                case SIGHUP: continuation.yield(.hangUp)
                case SIGTERM: continuation.yield(.terminate)
                case SIGINT: continuation.yield(.interrupt)
                default: break
                }
            }
            continuation.finish()
        }
    }
}
