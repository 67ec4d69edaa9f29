import IO
import Foundation
import Glibc
import Raft
import Synchronization

/// The real ``TermStore``: `(currentTerm, votedFor)` in a small checksummed file in the data
/// directory, replaced atomically.
///
/// Format (three lines): `vantage-term-state 1`, the state as JSON, `crc32 <8 hex digits>` of the
/// JSON line. A save writes `<file>.tmp`, fsyncs it, renames it over the file and fsyncs the
/// directory, so after a crash at any point the file holds either the old or the new state, never
/// a mix; a save returns only once the new state is durable.
public final class FileTermStore: TermStore {
    /// The state file.
    public let path: String
    private let directory: String
    /// Serialises saves, which share the temporary file.
    private let writing = Mutex(())

    static let header = "vantage-term-state 1"
    /// A valid file is under 200 bytes; anything much larger is not ours.
    static let sizeLimit = 4096

    /// A store at `<directory>/<fileName>`; the directory must exist.
    public init(directory: String, fileName: String = "term-state") {
        self.directory = directory
        self.path = directory.hasSuffix("/") ? directory + fileName : directory + "/" + fileName
    }

    /// The saved state; `nil` when the file does not exist (a node that never voted).
    /// Throws ``TermStoreError`` when the file exists but cannot be read or does not verify.
    public func load() throws -> PersistentState? {
        let contents: [UInt8]?
        do {
            contents = try DurableFile.read(path, limit: Self.sizeLimit)
        } catch {
            throw TermStoreError.unreadable(path: path, cause: error.description)
        }
        return try contents.map { contents throws(TermStoreError) in try Self.decode(contents, path: path) }
    }

    /// Writes `state` durably: temporary file, fsync, rename over the file, fsync the directory.
    public func save(_ state: PersistentState) throws {
        let contents = try Self.encode(state)
        try writing.withLock { _ in
            do {
                try DurableFile.replace(path, in: directory, with: contents)
            } catch {
                throw TermStoreError.writeFailed(path: path, cause: String(describing: error))
            }
        }
    }

    static func encode(_ state: PersistentState) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = Array(try encoder.encode(state))
        let checksum = String(CRC32.checksum(json), radix: 16)
        let padded = String(repeating: "0", count: 8 - checksum.count) + checksum
        return Array((header + "\n").utf8) + json + Array("\ncrc32 \(padded)\n".utf8)
    }

    static func decode(_ contents: [UInt8], path: String) throws(TermStoreError) -> PersistentState {
        let lines = contents.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard lines.count == 4, lines[3].isEmpty else {
            throw .corrupt(path: path, detail: "expected 3 newline-terminated lines, found \(contents.count) bytes")
        }
        guard String(decoding: lines[0], as: UTF8.self) == header else {
            throw .corrupt(path: path, detail: "unknown header (expected '\(header)')")
        }
        let json = Array(lines[1])
        let trailer = String(decoding: lines[2], as: UTF8.self)
        guard trailer.hasPrefix("crc32 "), let stored = UInt32(trailer.dropFirst(6), radix: 16),
            trailer.count == 14
        else {
            throw .corrupt(path: path, detail: "missing or malformed checksum line")
        }
        guard stored == CRC32.checksum(json) else {
            throw .corrupt(path: path, detail: "checksum mismatch")
        }
        do {
            return try JSONDecoder().decode(PersistentState.self, from: Data(json))
        } catch {
            throw .corrupt(path: path, detail: "state does not decode: \(error)")
        }
    }
}

/// Why the term file could not be read or written. The messages for unreadable and corrupt files
/// say how to recover without breaking Raft's one-vote-per-term rule.
public enum TermStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(path: String, cause: String)
    case corrupt(path: String, detail: String)
    case writeFailed(path: String, cause: String)

    /// Why a missing file is not simply safe: this node may have voted in a term the cluster can
    /// still reach, and with the vote forgotten it could vote again in that term and help elect a
    /// second leader. Once every other voter has moved past every term this node could have voted
    /// in, candidates in those terms can no longer win, so the forgotten vote is harmless. A
    /// candidate saves its term before asking for votes, so "every term this node could have voted
    /// in" is bounded by the highest term any voter held when this node stopped.
    static let recovery = """
        To recover: stop this node and move the file aside (keep it for diagnosis). Starting without \
        it makes the node rejoin as a follower at term 0 with no vote, which is safe only once every \
        other voter reports a current term higher than any term this node can have voted in (the \
        highest term any voter had when this node stopped; check their status or term files). \
        Until then keep the node stopped: with its vote forgotten it could vote twice in one term \
        and help elect two leaders.
        """

    public var description: String {
        switch self {
        case .unreadable(let path, let cause):
            "cannot read the election term file \(path): \(cause). \(Self.recovery)"
        case .corrupt(let path, let detail):
            "the election term file \(path) is corrupt (\(detail)). \(Self.recovery)"
        case .writeFailed(let path, let cause):
            "cannot save the election term file \(path): \(cause)"
        }
    }
}
