import Dispatch
import Glibc

/// Process signals as an async sequence (swift-service-lifecycle's shape): SIGHUP asks for a
/// reload, SIGTERM and SIGINT for a graceful stop.
///
/// The signals' default actions are switched off while the stream lives (so a SIGTERM is an
/// event, not a kill) and restored when it ends. Delivery runs on a Dispatch signal source, never
/// inside a C signal handler, so the handler may do anything.
public final class SignalEvents {
    public enum Signal: Int32, Sendable, CaseIterable {
        case hangUp = 1, interrupt = 2, terminate = 15

        var number: Int32 { rawValue }
    }

    /// Every signal received, in order.
    public let stream: AsyncStream<Signal>
    private let sources: [any DispatchSourceSignal]
    private let signals: [Signal]

    public init(_ signals: [Signal]) {
        self.signals = signals
        let (stream, continuation) = AsyncStream.makeStream(of: Signal.self)
        self.stream = stream
        var sources: [any DispatchSourceSignal] = []
        for signal in signals {
            Glibc.signal(signal.number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signal.number, queue: .global())
            source.setEventHandler { continuation.yield(signal) }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    /// Stops delivering and gives the signals their default actions back.
    public func cancel() {
        for source in sources { source.cancel() }
        for signal in signals { Glibc.signal(signal.number, SIG_DFL) }
    }

    deinit { cancel() }
}
