import Foundation
import SansIO
import Synchronization

/// What `vantage demo` prints while it runs: one line per event, a timestamp relative to the
/// demo's start, who said it (an agent, the API fake, the demo itself), and what happened.
final class DemoTimeline: Sendable {
    /// One printed event, kept for the summary.
    struct Entry: Sendable {
        var offset: Duration
        var source: String
        var text: String
        /// The agent log's event name, or the demo's own (`api.write`, `demo.stop`).
        var event: String
    }

    private let start = ContinuousClock.now
    private let entries = Mutex<[Entry]>([])
    /// Endpoint events are kept but not printed until the demo starts failing an endpoint (the
    /// start-up's nine "is up" lines say nothing a newcomer needs).
    let showsEndpointEvents = Atomic<Bool>(false)
    /// The agent whose tally lines are printed: the leader's decision is the one that counts.
    let leader = Mutex<String?>(nil)
    private let write: @Sendable (String) -> Void

    init(write: @escaping @Sendable (String) -> Void = { line in FileHandle.standardOutput.write(Data((line + "\n").utf8)) }) {
        self.write = write
    }

    var elapsed: Duration { .now - start }

    /// Keeps one event and prints it unless `printed` is false.
    func note(_ source: String, _ text: String, event: String = "demo", printed: Bool = true) {
        let entry = Entry(offset: elapsed, source: source, text: text, event: event)
        entries.withLock { $0.append(entry) }
        if printed { write(Self.line(entry)) }
    }

    /// Prints a line that is not an event (headings, tables).
    func say(_ text: String) { write(text) }

    /// The first entry with `event` (from `source`, when given) at or after `after`.
    func first(_ event: String, from source: String? = nil, after: Duration = .zero) -> Entry? {
        entries.withLock { entries in
            entries.first { $0.event == event && (source == nil || $0.source == source) && $0.offset >= after }
        }
    }

    func all(_ event: String, after: Duration = .zero) -> [Entry] {
        entries.withLock { $0.filter { $0.event == event && $0.offset >= after } }
    }

    static func line(_ entry: Entry) -> String {
        let seconds = String(format: "%6.2fs", entry.offset.seconds)
        return " +\(seconds)  \(entry.source.padding(toLength: 5, withPad: " ", startingAt: 0))  \(entry.text)"
    }
}
