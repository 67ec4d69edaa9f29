import Glibc
import IO
import Raft

/// The agent's data directory, opened once at start: locked against a second agent, a new boot
/// epoch, and the persisted election state.
///
/// - **One agent per directory.** A lock file is held for the process's life; a second agent on
///   the same directory refuses to start, naming it (two agents sharing one term file could vote
///   twice in a term).
/// - **A boot epoch that never repeats.** `boot-epoch` holds the last epoch; each start writes the
///   next one durably before any datagram is sent, so peers' replay windows accept a restarted
///   agent at once and never mistake its new datagrams for replays.
/// - **No silent term 0.** A fresh directory gets an explicit initial term state; a directory that
///   has held state (it has a boot epoch) but lost its term file is an error, because starting
///   over at term 0 could vote twice in a term.
public final class DataDirectory: Sendable {
    public let path: String
    /// This start's boot epoch (1 on the first start).
    public let bootEpoch: UInt64
    /// The election state to start from.
    public let persisted: PersistentState
    public let termStore: FileTermStore
    private let lockDescriptor: Int32

    static let lockName = "lock"
    static let epochName = "boot-epoch"

    /// Opens (creating if needed) and locks `path`.
    public init(path: String) throws(DataDirectoryError) {
        self.path = path
        let lockPath = path + "/" + Self.lockName
        let epochPath = path + "/" + Self.epochName
        do {
            try SystemCall.makeDirectory(path, mode: 0o700)
            lockDescriptor = try SystemCall.open(lockPath, flags: O_RDWR | O_CREAT, mode: 0o600)
        } catch {
            throw .unusable(path: path, cause: error.description)
        }
        do {
            try SystemCall.lockExclusively(lockDescriptor, path: lockPath)
        } catch {
            SystemCall.close(lockDescriptor)
            throw error.errno == EWOULDBLOCK ? .inUse(path: path) : .unusable(path: path, cause: error.description)
        }
        do {
            let previous = try Self.readEpoch(epochPath)
            termStore = FileTermStore(directory: path)
            let loaded: PersistentState?
            do {
                loaded = try termStore.load()
            } catch {
                throw DataDirectoryError.unusable(path: path, cause: String(describing: error))
            }
            switch (previous, loaded) {
            case (nil, nil):
                do {
                    try termStore.save(.initial)
                } catch {
                    throw DataDirectoryError.unusable(path: path, cause: String(describing: error))
                }
                persisted = .initial
            case (.some, nil):
                throw DataDirectoryError.termStateLost(path: termStore.path)
            case (_, .some(let state)):
                persisted = state
            }
            bootEpoch = (previous ?? 0) + 1
            do {
                try DurableFile.replace(epochPath, in: path, with: Array("\(bootEpoch)\n".utf8))
            } catch {
                throw DataDirectoryError.unusable(path: path, cause: error.description)
            }
        } catch let error as DataDirectoryError {
            SystemCall.close(lockDescriptor)
            throw error
        } catch {
            SystemCall.close(lockDescriptor)
            throw .unusable(path: path, cause: String(describing: error))
        }
    }

    deinit { SystemCall.close(lockDescriptor) }

    private static func readEpoch(_ path: String) throws(DataDirectoryError) -> UInt64? {
        let contents: [UInt8]?
        do {
            contents = try DurableFile.read(path, limit: 64)
        } catch {
            throw .unusable(path: path, cause: error.description)
        }
        guard let contents else { return nil }
        let text = String(decoding: contents, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let epoch = UInt64(text) else { throw .corruptEpoch(path: path) }
        return epoch
    }
}

/// Why the data directory cannot be used; the agent refuses to start with this message.
public enum DataDirectoryError: Error, Equatable, Sendable, CustomStringConvertible {
    case inUse(path: String)
    case termStateLost(path: String)
    case corruptEpoch(path: String)
    case unusable(path: String, cause: String)

    public var description: String {
        switch self {
        case .inUse(let path):
            "data directory \(path) is in use by another vantage process (one agent per data_dir)"
        case .termStateLost(let path):
            "\(path) is missing although this data directory has held state; starting at term 0 could vote twice in a term. Restore the file, or, if this agent's old state is truly gone, wait one election timeout after stopping it and empty the directory"
        case .corruptEpoch(let path):
            "\(path) does not hold a boot epoch (a decimal number); restore it or empty the directory after stopping the agent"
        case .unusable(let path, let cause):
            "data directory \(path) cannot be used: \(cause)"
        }
    }
}
