import Raft
import Synchronization

/// An in-memory ``TermStore`` for tests and the cluster harness. It can be told to fail saves, and
/// (for the test that shows persistence matters) to forget everything on a simulated crash.
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
    /// When true, ``simulateCrash()`` erases the saved state, like a disk that lost unsynced data.
    let forgetsOnCrash: Bool

    init(_ initial: PersistentState? = nil, forgetsOnCrash: Bool = false) {
        contents = Mutex(Contents(saved: initial))
        self.forgetsOnCrash = forgetsOnCrash
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

    func simulateCrash() {
        if forgetsOnCrash { contents.withLock { $0.saved = nil } }
    }
}

/// A store whose file exists but cannot be read back.
final class UnreadableTermStore: TermStore {
    struct Corrupt: Error {}
    func load() throws -> PersistentState? { throw Corrupt() }
    func save(_ state: PersistentState) throws {}
}
