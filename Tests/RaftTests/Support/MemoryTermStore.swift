import Raft
import Synchronization

/// An in-memory ``TermStore`` for ``ElectionDriver``; it can be told to fail saves.
final class MemoryTermStore: TermStore {
    struct InjectedFailure: Error, CustomStringConvertible {
        var description: String { "injected save failure" }
    }

    private struct Contents {
        var saved: PersistentState?
        var failsSaves = false
        var saveCount = 0
    }

    private let contents: Mutex<Contents>

    init(_ initial: PersistentState? = nil) {
        contents = Mutex(Contents(saved: initial))
    }

    func load() throws -> PersistentState? { contents.withLock { $0.saved } }

    func save(_ state: PersistentState) throws {
        try contents.withLock { contents in
            if contents.failsSaves { throw InjectedFailure() }
            contents.saved = state
            contents.saveCount += 1
        }
    }

    var saved: PersistentState? { contents.withLock { $0.saved } }
    var saveCount: Int { contents.withLock { $0.saveCount } }

    var failsSaves: Bool {
        get { contents.withLock { $0.failsSaves } }
        set { contents.withLock { $0.failsSaves = newValue } }
    }
}
