import Foundation
import Glibc
import Node
import Raft
import Testing

@Suite struct FileTermStoreTests {
    /// A fresh directory under the temporary directory, removed by the caller.
    private func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "vantage-term-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        return path
    }

    @Test func missingFileLoadsNothing() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try FileTermStore(directory: directory).load() == nil)
    }

    @Test func savesAndLoads() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = FileTermStore(directory: directory)
        try store.save(PersistentState(currentTerm: 41, votedFor: "eu-west \"1\""))
        try store.save(PersistentState(currentTerm: 42, votedFor: nil))
        #expect(try FileTermStore(directory: directory).load() == PersistentState(currentTerm: 42, votedFor: nil))
        try store.save(PersistentState(currentTerm: UInt64.max, votedFor: "ü"))
        #expect(try store.load() == PersistentState(currentTerm: .max, votedFor: "ü"))
        let text = try String(contentsOfFile: store.path, encoding: .utf8)
        #expect(text.hasPrefix("vantage-term-state 1\n"))
        #expect(!FileManager.default.fileExists(atPath: store.path + ".tmp"))
    }

    /// Any damaged byte, truncation or appended byte makes load throw an error that names the file
    /// and the recovery procedure; it never returns a default.
    @Test func corruptionIsReportedNeverReset() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = FileTermStore(directory: directory)
        try store.save(PersistentState(currentTerm: 9, votedFor: "b"))
        let good = try Data(contentsOf: URL(fileURLWithPath: store.path))
        var variants: [Data] = [Data(), good.dropLast(), good + Data([0x0A])]
        for index in good.indices {
            var damaged = good
            damaged[index] ^= 0x01
            variants.append(damaged)
        }
        for variant in variants {
            try variant.write(to: URL(fileURLWithPath: store.path))
            #expect {
                _ = try store.load()
            } throws: { error in
                let message = String(describing: error)
                return message.contains(store.path) && message.contains("move the file aside")
                    && message.contains("higher than any term")
            }
        }
    }

    @Test func unwritableDirectoryFailsTheSave() {
        let store = FileTermStore(directory: "/nonexistent-vantage-dir")
        #expect(throws: TermStoreError.self) { try store.save(PersistentState(currentTerm: 1, votedFor: nil)) }
    }

    /// The `term-store-writer` helper of this build (it sits beside the test bundle).
    private static let writer = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("term-store-writer").path

    /// Starts the writer on `directory` with terms above `base`; its process id.
    private func spawnWriter(directory: String, base: UInt64) throws -> pid_t {
        let arguments = [Self.writer, directory, String(base)]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, Self.writer, nil, nil, &argv, environ)
        try #require(status == 0, "posix_spawn \(Self.writer): \(String(cString: strerror(status)))")
        return child
    }

    /// A child process saving new states in a loop is killed with SIGKILL at random moments; the
    /// file always holds a complete state (the last one or the one before), never a torn one.
    @Test func killedWriterLeavesOldOrNewState() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = FileTermStore(directory: directory)
        try store.save(PersistentState(currentTerm: 1, votedFor: "seed"))
        var lastSeen: UInt64 = 1
        var killsMidRun = 0
        for round in 0..<20 {
            let base = UInt64(round + 1) * 1_000_000
            let child = try spawnWriter(directory: directory, base: base)
            // Wait until the child is demonstrably writing, then kill it at a random moment.
            var progressed = false
            for _ in 0..<4_000 {
                if let state = try store.load(), state.currentTerm > base {
                    progressed = true
                    break
                }
                usleep(500)
            }
            usleep(UInt32.random(in: 0...3_000))
            kill(child, SIGKILL)
            var status: Int32 = 0
            waitpid(child, &status, 0)
            #expect(status & 0x7F == SIGKILL, "the writer ended by itself (status \(status)) instead of being killed")
            if progressed { killsMidRun += 1 }
            let state = try #require(try store.load())
            #expect(state.currentTerm >= lastSeen)
            #expect(state.votedFor == (state.currentTerm == 1 ? "seed" : "node-\(state.currentTerm % 7)"))
            lastSeen = state.currentTerm
        }
        #expect(killsMidRun == 20)
    }
}
